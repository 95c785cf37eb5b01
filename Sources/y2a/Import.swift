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
    func openExisting(writeAheadLog: Bool = false) async throws -> any Store {
        if let file = try address().sqliteFile, !FileManager.default.fileExists(atPath: file.path) {
            printError("y2a: \(file.path): STORE-MISSING: no case store at this path; a read command never creates one (check --store or $Y2A_STORE, or run y2a import or y2a batch first)")
            throw ExitCode(ExitStatus.failure)
        }
        return try await open(writeAheadLog: writeAheadLog)
    }

    func address() throws -> StoreAddress {
        do {
            return try StoreAddress(parsing: text)
        } catch {
            printError("y2a: \(error)")
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// `writeAheadLog`: SQLite in WAL mode with a pool of readers (`y2a serve`: pages read
    /// while another request writes).
    func open(writeAheadLog: Bool = false) async throws -> any Store {
        let address = try address()
        do {
            return try await StoreEngine.open(address, writeAheadLog: writeAheadLog)
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
        // Group commit: the validator's threads keep each valid document's bytes as they read
        // and hash them (no second read), compress them and encode the record, and hand the row
        // in; one task stores whatever has been handed in since its last commit as one
        // transaction. At most 32 MB wait, so memory stays bounded when the store is slower.
        let handOff = GroupHandOff<Pending>(maxItems: Self.groupSize, gather: .milliseconds(25))
        let validator = run.validator
        let validating = Task {
            await Self.offThePool {
                validator.run(files.map { .file($0) }, convert: true, keepRecords: false, keepSources: true) { index, outcome in
                    guard case .success(let document) = outcome, let record = document.caseRecord else {
                        progress.advance()
                        return
                    }
                    // The bytes stored are the very bytes that were hashed (`keepSources`): a
                    // valid document read from a file always comes with them.
                    guard let bytes = document.source else {
                        failures.add(index, GatewayError(code: "INTERNAL", message: "the validated bytes were not kept", path: files[index]))
                        progress.advance()
                        return
                    }
                    var request = StoreRequest(record: record, sourceXML: bytes, sourceName: URL(fileURLWithPath: files[index]).lastPathComponent, holders: holders)
                    do {
                        try request.prepare()
                    } catch {
                        failures.add(index, GatewayError(code: "INTERNAL", message: "the case record could not be encoded", path: files[index]))
                        progress.advance()
                        return
                    }
                    handOff.add(Pending(index: index, request: request), bytes: bytes.count * 2)
                }
            }
        }
        let storing = Task {
            var notes: [Int: String] = [:]
            await handOff.commitGroups { group in
                for (pending, result) in zip(group, await Self.store(group.map(\.request), in: store)) {
                    switch result {
                    case .success(.stored(let caseId, let personId)): notes[pending.index] = "stored as case \(caseId) (person \(personId))"
                    case .success(.alreadyStored(let caseId)): notes[pending.index] = "already stored as case \(caseId)"
                    case .failure(let error): failures.add(pending.index, GatewayError(code: error.code, message: error.message, path: files[pending.index]))
                    }
                    progress.advance()
                }
            }
            return notes
        }
        var outcomes = await validating.value
        handOff.finish()
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

    /// Documents stored per transaction at most.
    static let groupSize = 256

    /// Failures of the store as a whole, which storing documents one by one would only repeat.
    static let storeWide: Set<String> = ["STORE-UNAVAILABLE", "STORE-FULL", "STORE-LOCKED", "STORE-CORRUPT", "STORE-ACCESS", "STORE-OPEN"]

    /// A valid document waiting for the group commit.
    struct Pending: Sendable {
        var index: Int
        var request: StoreRequest
    }

    /// Stores a group in one transaction; when that fails, each document on its own, so one
    /// document's failure is reported as its own and never as its neighbours'.
    static func store(_ group: [StoreRequest], in store: any Store) async -> [Result<StoreOutcome, StoreError>] {
        let now = Date()
        do {
            return try await store.store(group, now: now).map { .success($0) }
        } catch {
            let failure = error as? StoreError ?? StoreError(code: "STORE-ERROR", message: "the cases could not be stored", path: store.location)
            // The store itself failed (down, full, locked, damaged): every document the same.
            if group.count == 1 || Self.storeWide.contains(failure.code) {
                return group.map { _ in .failure(failure) }
            }
        }
        var results: [Result<StoreOutcome, StoreError>] = []
        for request in group {
            do {
                results.append(.success(try await store.store(request.record, sourceXML: request.sourceXML, sourceName: request.sourceName, now: now, holders: request.holders)))
            } catch {
                results.append(.failure(error as? StoreError ?? StoreError(code: "STORE-ERROR", message: "the case could not be stored", path: store.location)))
            }
        }
        return results
    }

    /// Runs blocking work (the validator's worker threads) on a thread of its own, never on
    /// one of the few threads that run async tasks (the storing task needs them).
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }
}
