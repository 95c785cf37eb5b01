import ArgumentParser
import Access
import CaseStore
import Foundation
import Gateway
import Synchronization
import XMLSupport

/// Where the case store lives: `--store`, else `$Y2A_STORE`, else `y2a.sqlite` here.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The case store (SQLite). Default: $Y2A_STORE, else ./y2a.sqlite.", valueName: "file"))
    var store: String?

    var path: String {
        store ?? ProcessInfo.processInfo.environment["Y2A_STORE"] ?? "y2a.sqlite"
    }

    /// Opens the store for a command that only reads it (serve, transfer status, ...): a
    /// missing file is said as such (exit 3), never created empty, so a mistyped path or an
    /// unset $Y2A_STORE is not mistaken for "no cases".
    func openExisting() throws -> CaseStore {
        guard FileManager.default.fileExists(atPath: path) else {
            printError("y2a: \(path): STORE-MISSING: no case store at this path; a read command never creates one (check --store or $Y2A_STORE, or run y2a import or y2a batch first)")
            throw ExitCode(ExitStatus.failure)
        }
        return try open()
    }

    func open() throws -> CaseStore {
        do {
            return try CaseStore(path: path)
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Validate, convert and store assessments in the case store.",
        discussion: """
            Each valid document becomes a case in the store, with its source XML kept byte for \
            byte and its SHA-256. The same document imported twice is stored once. Cases about \
            the same young person (same PNC; or, where either has none, the same names and date \
            of birth) are grouped under one person. Invalid documents are reported as by \
            `y2a validate` and not stored.

            Each case is held by the organisation it is imported for (--org; default: the \
            organisation named in the document), which is the organisation whose users see it \
            in the portal. The import is recorded in the audit trail.

            Examples:
              y2a import SampleFiles
              y2a import --store /srv/y2a/cases.sqlite --org B23 exports/

            Exit: 0 all stored, 1 some invalid, 2 usage, 3 I/O or store failure.
            """)

    @OptionGroup var reading: ReadingOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Report format: text or json.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("The organisation the cases are imported for (default: the one named in each document).", valueName: "code"))
    var org: String?

    @Argument(help: ArgumentHelp("Files or folders to import.", valueName: "path"))
    var paths: [String]

    func run() throws {
        let run = try DocumentRun(reading, paths: paths)
        let files = run.files
        let store = try storeOptions.open()
        let progress = Progress(total: files.count, verb: "importing", quiet: reading.quiet)
        let results = Mutex<[Int: String]>([:])
        let failures = WriteFailures()
        var outcomes = run.validator.run(files.map { .file($0) }, convert: true, keepRecords: false) { index, outcome in
            defer { progress.advance() }
            guard case .success(let document) = outcome, let record = document.caseRecord else { return }
            do {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: files[index]))
                // The bytes stored must be the bytes that were validated and hashed.
                guard DocumentProcessor.sha256Hex(bytes) == record.source.sha256 else {
                    failures.add(index, GatewayError(code: "IO-CHANGED", message: "the file changed while it was being imported; import it again", path: files[index]))
                    return
                }
                let outcome = try store.store(
                    record, sourceXML: bytes, sourceName: URL(fileURLWithPath: files[index]).lastPathComponent, holders: org.map { [$0] })
                let text = switch outcome {
                case .stored(let caseId, let personId): "stored as case \(caseId) (person \(personId))"
                case .alreadyStored(let caseId): "already stored as case \(caseId)"
                }
                results.withLock { $0[index] = text }
            } catch let error as StoreError {
                failures.add(index, GatewayError(code: error.code, message: error.message, path: files[index]))
            } catch {
                failures.add(index, GatewayError(code: "IO-READ", message: "cannot read the file again to store it", path: files[index]))
            }
        }
        progress.finish()
        for (index, error) in failures.all { outcomes[index] = .failure(error) }

        let summary = run.summary(outcomes)
        let stored = results.withLock { $0 }
        let caller = commandLineCaller(organisation: org ?? "-")
        try? store.write { db in
            try CaseStore.appendAudit(db, AuditEvent(caller, .importCases, detail: "\(stored.count) documents of \(files.count) files"))
        }
        let counts = try? store.counts()
        let trailer = counts.map { "; the store holds \($0.cases) cases of \($0.people) people" } ?? ""
        writeOutput(try run.report(outcomes, summary: summary, format: format, notes: stored, verb: "imported", trailer: trailer))
        try DocumentRun.exit(for: summary)
    }
}
