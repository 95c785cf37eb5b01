import ArgumentParser
import Foundation
import Gateway
import Portal

struct View: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the Y2A case page of one document as a single self-contained HTML file.",
        discussion: """
            For someone without a server: the same page `y2a serve` shows, with its styles inline. \
            The document is validated first; an invalid one is reported and no page is written.

            Example:
              y2a view SampleFiles/valid/asset-transfer-to-adult.xml -o case.html
            """)

    @OptionGroup var reading: ReadingOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("The HTML file to write (0600).", valueName: "file"))
    var output: String

    @Argument(help: ArgumentHelp("An Asset.XML or AssetPlus.XML document.", valueName: "file"))
    var file: String

    func run() throws {
        let processed: ProcessedDocument
        do {
            let validator = try reading.makeValidator()
            processed = try DocumentProcessor(schemas: validator.schemas, options: validator.options).process(.file(file), convert: true)
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
        guard let record = processed.caseRecord else {
            for line in ReportFormatter.lines(for: processed.report) { printError(line) }
            throw ExitCode(ExitStatus.invalidInput)
        }
        let source = URL(fileURLWithPath: file)
        let outputURL = URL(fileURLWithPath: output)
        // The Documents link points at the source file, relative to the page when it can be.
        let link = source.deletingLastPathComponent().standardizedFileURL == outputURL.deletingLastPathComponent().standardizedFileURL
            ? source.lastPathComponent : source.standardizedFileURL.absoluteString
        let html = CasePage(record: record, sourceLink: link).render()
        do {
            try AtomicFile.write(Data(html.utf8), to: outputURL)
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
        print("wrote \(output)")
    }
}
