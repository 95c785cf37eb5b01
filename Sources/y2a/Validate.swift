import ArgumentParser
import Foundation
import Gateway
import XMLSupport

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check assessments against the XSDs and the frameworks' rules.",
        discussion: """
            Each PATH is an Asset.XML or AssetPlus.XML file, or a folder searched recursively for \
            .xml files. The format is recognised by the root element and namespace, never by the \
            file name. Files are checked in parallel; every finding of every file is listed (up \
            to --max-findings per file):

              exports/case-17.xml:42:0: error[AP-EPISODE-MIX]: Offending episode e2 has incident i1 as a member; ... (/AssetPlus/CoreRecord/Episodes/Episode)

            then a summary line. Messages never quote a value from a document (names, dates of \
            birth, offence text): they name elements, codes and lines. `y2a codes` lists every code.

            Exit: 0 all valid (warnings allowed), 1 some file invalid, 2 usage, 3 a file could not be read.
            """)

    @OptionGroup var reading: ReadingOptions

    @Option(help: "Output: text (compiler-style lines) or json (one object per file).")
    var format: OutputFormat = .text

    @Argument(help: ArgumentHelp("Files or folders to check.", valueName: "path"))
    var paths: [String]

    func run() throws {
        let run = try DocumentRun(reading, paths: paths)
        let progress = Progress(total: run.files.count, verb: "validating", quiet: reading.quiet)
        let outcomes = run.validator.run(run.files.map { .file($0) }) { _, _ in progress.advance() }
        progress.finish()
        let summary = run.summary(outcomes)
        writeOutput(try run.report(outcomes, summary: summary, format: format))
        try DocumentRun.exit(for: summary)
    }
}
