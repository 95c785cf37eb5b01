import ArgumentParser
import Access
import CaseRecord
import CaseStore
import Foundation
import Gateway
import Synchronization
import XMLSupport

/// Where the case store lives: `--store`, else `$Y2A_STORE`, else `y2a.sqlite` here. A path
/// (or `sqlite:PATH`) is SQLite; `postgres://USER@HOST:PORT/DATABASE?sslmode=...` is PostgreSQL,
/// with the password from `$PGPASSWORD` or `password_file=PATH`, never on the command line.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The case store: a SQLite file, or postgres://USER@HOST:PORT/DB?sslmode=verify-full. Default: $Y2A_STORE, else ./y2a.sqlite.", valueName: "address"))
    var store: String?

    var text: String {
        store ?? ProcessInfo.processInfo.environment["Y2A_STORE"] ?? "y2a.sqlite"
    }

    /// Opens the store for a command that only reads it (serve, transfer status, ...): a
    /// missing SQLite file is said as such (exit 3), never created empty, so a mistyped path or
    /// an unset $Y2A_STORE is not mistaken for "no cases".
    func openExisting() async throws -> any Store {
        if let file = try address().sqliteFile, !FileManager.default.fileExists(atPath: file.path) {
            printError("y2a: \(file.path): STORE-MISSING: no case store at this path; a read command never creates one (check --store or $Y2A_STORE, or run y2a import or y2a batch first)")
            throw ExitCode(ExitStatus.failure)
        }
        return try await open()
    }

    func address() throws -> StoreAddress {
        do {
            return try StoreAddress(parsing: text)
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }

    func open() async throws -> any Store {
        let address = try address()
        do {
            return try await StoreEngine.open(address)
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.failure)
        }
    }
}

struct Import: AsyncParsableCommand {
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

    func run() async throws {
        let run = try DocumentRun(reading, paths: paths)
        let files = run.files
        let store = try await storeOptions.open()
        let holders = org.map { [$0] }
        let progress = Progress(total: files.count, verb: "importing", quiet: reading.quiet)
        let failures = WriteFailures()
        // The validator's threads hand each valid document to this task, which stores it; at
        // most `pending` wait, so memory stays bounded when the store is the slower side.
        let (valid, queue) = AsyncStream<(index: Int, record: CaseRecord)>.makeStream()
        let pending = DispatchSemaphore(value: 4 * reading.jobs)
        let validator = run.validator
        let validating = Task {
            await Self.offThePool {
                validator.run(files.map { .file($0) }, convert: true, keepRecords: false) { index, outcome in
                    guard case .success(let document) = outcome, let record = document.caseRecord else {
                        progress.advance()
                        return
                    }
                    pending.wait()
                    queue.yield((index, record))
                }
            }
        }
        let storing = Task {
            var notes: [Int: String] = [:]
            for await (index, record) in valid {
                defer { pending.signal(); progress.advance() }
                do {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: files[index]))
                    // The bytes stored must be the bytes that were validated and hashed.
                    guard DocumentProcessor.sha256Hex(bytes) == record.source.sha256 else {
                        failures.add(index, GatewayError(code: "IO-CHANGED", message: "the file changed while it was being imported; import it again", path: files[index]))
                        continue
                    }
                    let outcome = try await store.store(record, sourceXML: bytes, sourceName: URL(fileURLWithPath: files[index]).lastPathComponent, now: Date(), holders: holders)
                    notes[index] = switch outcome {
                    case .stored(let caseId, let personId): "stored as case \(caseId) (person \(personId))"
                    case .alreadyStored(let caseId): "already stored as case \(caseId)"
                    }
                } catch let error as StoreError {
                    failures.add(index, GatewayError(code: error.code, message: error.message, path: files[index]))
                } catch {
                    failures.add(index, GatewayError(code: "IO-READ", message: "cannot read the file again to store it", path: files[index]))
                }
            }
            return notes
        }
        var outcomes = await validating.value
        queue.finish()
        let stored = await storing.value
        progress.finish()
        for (index, error) in failures.all { outcomes[index] = .failure(error) }

        let summary = run.summary(outcomes)
        let caller = commandLineCaller(organisation: org ?? "-")
        try? await store.append(AuditEvent(caller, .importCases, detail: "\(stored.count) documents of \(files.count) files"))
        let counts = try? await store.counts()
        await store.close()
        let trailer = counts.map { "; the store holds \($0.cases) cases of \($0.people) people" } ?? ""
        writeOutput(try run.report(outcomes, summary: summary, format: format, notes: stored, verb: "imported", trailer: trailer))
        try DocumentRun.exit(for: summary)
    }

    /// Runs blocking work (the validator's worker threads) on a thread of its own, never on
    /// one of the few threads that run async tasks (the storing task needs them).
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
