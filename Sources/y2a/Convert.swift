import ArgumentParser
import Foundation
import Gateway
import XMLSupport
import Synchronization

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate assessments and write each valid one as a Y2A case record (JSON).",
        discussion: """
            Each document is validated first, exactly as by `y2a validate`; an invalid one is \
            reported on standard error and not converted. A valid one becomes <name>.case.json in \
            --out (written atomically, mode 0600), or, for a single file without --out, is \
            printed on standard output. The JSON has sorted keys and is the same bytes every time.

            Examples:
              y2a convert SampleFiles/valid/contract-example-assetplus.xml
              y2a convert --out cases/ SampleFiles/valid

            Exit: 0 all converted, 1 some file invalid (not converted), 2 usage, 3 I/O failure.
            """)

    @OptionGroup var reading: ReadingOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder for the .case.json files (created 0700).", valueName: "dir"))
    var out: String?

    @Option(help: "Report format (on standard output with --out, else standard error): text or json.")
    var format: OutputFormat = .text

    @Argument(help: ArgumentHelp("Files or folders to convert.", valueName: "path"))
    var paths: [String]

    func run() throws {
        let run = try DocumentRun(reading, paths: paths)
        let files = run.files
        guard out != nil || files.count == 1 else {
            printError("y2a convert: \(files.count) documents need --out DIR (only a single file is printed on standard output)")
            throw ExitCode(ExitStatus.usage)
        }
        let names = files.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent + ".case.json" }
        if let clash = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 }) {
            printError("y2a convert: two inputs would both be written as \(clash.key); convert them into different --out folders")
            throw ExitCode(ExitStatus.usage)
        }

        let progress = Progress(total: files.count, verb: "converting", quiet: reading.quiet)
        let group: AtomicFileGroup?
        do {
            group = try out.map { try AtomicFileGroup(directory: URL(fileURLWithPath: $0)) }
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
        let writeFailures = WriteFailures()
        // Each worker writes its own record as soon as it is mapped (memory holds one record per
        // worker, not the whole run's); the group makes them durable and visible together.
        var outcomes = run.validator.run(files.map { .file($0) }, convert: true, keepRecords: group == nil) { index, outcome in
            defer { progress.advance() }
            guard let group, case .success(let document) = outcome, let record = document.caseRecord else { return }
            do {
                try group.write(try record.jsonData(), name: names[index], tag: index)
            } catch let error as GatewayError {
                writeFailures.add(index, error)
            } catch {
                writeFailures.add(index, GatewayError(code: "INTERNAL", message: "\(error)", path: files[index]))
            }
        }
        let finished = group?.finish()
        progress.finish()
        for (index, error) in writeFailures.all + (finished?.failures ?? []) { outcomes[index] = .failure(error) }

        let summary = run.summary(outcomes)
        if group == nil, case .success(let document)? = outcomes.first, let record = document.caseRecord {
            writeOutput(try record.jsonData())
        }
        let outputs = Dictionary(finished?.written ?? [], uniquingKeysWith: { first, _ in first })
        let report = try run.report(outcomes, summary: summary, format: format, notes: format == .json ? outputs : [:], verb: "converted")
        // With --out, the report is the main output; without, stdout holds the JSON record.
        if group != nil { writeOutput(report) } else { FileHandle.standardError.write(report) }
        try DocumentRun.exit(for: summary)
    }
}

/// Write failures reported from worker threads.
final class WriteFailures: Sendable {
    private let failures = Mutex<[(Int, GatewayError)]>([])
    func add(_ index: Int, _ error: GatewayError) { failures.withLock { $0.append((index, error)) } }
    var all: [(Int, GatewayError)] { failures.withLock { $0 } }
}
