public import CaseRecord
public import CaseStore
public import Foundation
import PostgresNIO

extension PostgresStore {
    public func beginBatchRun(now: Date) async throws -> Int64 {
        try await transaction { connection in
            try await connection.run("UPDATE batchRun SET status = 'interrupted' WHERE status = 'running'", logger: self.logger)
            return try await connection.rows(
                "INSERT INTO batchRun (startedAt, status) VALUES (\(CaseStore.batchTimestamp(now)), 'running') RETURNING id",
                logger: self.logger, { try $0.next(Int64.self) }).first!
        }
    }

    public func finishBatchRun(_ id: Int64, status: String, summaryJSON: Data, now: Date) async throws {
        try await withConnection { connection in
            try await connection.run(
                "UPDATE batchRun SET finishedAt = \(CaseStore.batchTimestamp(now)), status = \(status), summaryJSON = \(summaryJSON) WHERE id = \(id)",
                logger: self.logger)
        }
    }

    static let processedColumns = "sha256, name, kind, outcome, destination, codes, caseId, transferId, findingsJSON, receiptName, receiptXML, runId, decidedAt"

    static func processedRow(_ cells: inout Cells) throws -> ProcessedFile {
        let (sha256, name, kind, outcome, destination, codes): (String, String, String, String, String, String) =
            (try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next(), try cells.next())
        var file = ProcessedFile(
            sha256: sha256, name: name, kind: kind, outcome: outcome, destination: destination, codes: [],
            caseId: try cells.next(), transferId: try cells.next(), findingsJSON: try cells.next(), receiptName: try cells.next(),
            receiptXML: try cells.next(), runId: try cells.next(), decidedAt: try cells.next())
        file.codes = codes
        return file
    }

    public func processedFile(sha256: String, name: String) async throws -> ProcessedFile? {
        var bindings = PostgresBindings()
        bindings.append(sha256)
        bindings.append(name)
        let query = PostgresQuery(unsafeSQL: "SELECT \(Self.processedColumns) FROM processedFile WHERE sha256 = $1 AND name = $2", binds: bindings)
        return try await withConnection { connection in try await connection.rows(query, logger: self.logger, Self.processedRow).first }
    }

    public func processedFiles() async throws -> [ProcessedFile] {
        try await withConnection { connection in
            try await connection.rows(PostgresQuery(unsafeSQL: "SELECT \(Self.processedColumns) FROM processedFile ORDER BY name, sha256"), logger: self.logger, Self.processedRow)
        }
    }

    public func journal(_ file: ProcessedFile) async throws {
        try await transaction { connection in try await self.insertProcessedFile(file, connection) }
    }

    public func storeAndJournal(_ group: [JournalledStore], now: Date) async throws -> [ProcessedFile] {
        guard !group.isEmpty else { return [] }
        return try await transaction { connection in
            try await self.lockPeople(group.map(\.document.record), connection)
            var files: [ProcessedFile] = []
            files.reserveCapacity(group.count)
            for item in group {
                let document = item.document
                let file = try item.journal(try await self.insert(
                    document.record, sourceXML: document.sourceXML, sourceName: document.sourceName, now: now,
                    holders: document.holders, personLocked: true, prepared: document.prepared, connection))
                try await self.insertProcessedFile(file, connection)
                files.append(file)
            }
            return files
        }
    }

    public func journal(receiptNamed receiptName: String, _ make: (_ earlierReceipts: [Data]) throws -> ProcessedFile) async throws -> ProcessedFile {
        try await transaction { connection in
            let earlier = try await connection.rows(
                "SELECT receiptXML FROM processedFile WHERE receiptName = \(receiptName) AND receiptXML IS NOT NULL", logger: self.logger,
                { try $0.next(Data.self) })
            let file = try make(earlier)
            try await self.insertProcessedFile(file, connection)
            return file
        }
    }

    /// Records a decision; fails (unique key) if the file was decided already.
    func insertProcessedFile(_ file: ProcessedFile, _ connection: PostgresConnection) async throws {
        try await connection.run(
            """
            INSERT INTO processedFile (sha256, name, kind, outcome, destination, codes, caseId, transferId,
                findingsJSON, receiptName, receiptXML, runId, decidedAt)
            VALUES (\(file.sha256), \(file.name), \(file.kind), \(file.outcome), \(file.destination), \(file.codes), \(file.caseId),
                \(file.transferId), \(file.findingsJSON), \(file.receiptName), \(file.receiptXML), \(file.runId), \(file.decidedAt))
            """, logger: logger)
    }

    /// A session advisory lock on a connection of its own, held until `release()` or until
    /// the connection ends (the process killed, the server restarted): a second batch on any
    /// host gets `BATCH-LOCKED` at once.
    public func takeBatchLock() async throws -> (any StoreLock)? {
        let (acquired, answer) = AsyncThrowingStream<Bool, any Error>.makeStream()
        let (released, release) = AsyncStream<Void>.makeStream()
        let client = client
        let logger = logger
        let holder = Task {
            do {
                try await client.withConnection { connection in
                    let (got, pid) = try await connection.rows(
                        "SELECT pg_try_advisory_lock(\(LockSpace.batch.rawValue), 0), pg_backend_pid()", logger: logger
                    ) { (try $0.next(Bool.self), try $0.next(Int32.self)) }.first ?? (false, 0)
                    if got { self.batchLockHolder.withLock { $0 = pid } }
                    answer.yield(got)
                    answer.finish()
                    guard got else { return }
                    for await _ in released { break }
                    self.batchLockHolder.withLock { $0 = nil }
                    try? await connection.run("SELECT pg_advisory_unlock(\(LockSpace.batch.rawValue), 0)", logger: logger)
                }
            } catch {
                answer.finish(throwing: error)
            }
        }
        let got: Bool
        do {
            var iterator = acquired.makeAsyncIterator()
            got = try await iterator.next() ?? false
        } catch {
            throw storeError(error)
        }
        guard got else {
            await holder.value
            throw StoreError(code: "BATCH-LOCKED", message: "another y2a batch run holds the lock on this database; this run did nothing (try again when it has finished)", path: location)
        }
        return AdvisoryLock(release: release, holder: holder)
    }
}

extension PostgresStore {
    /// Throws `BATCH-LOCK-LOST` unless the batch lock is held by the session `holder` (the
    /// server's process id of the lock's connection), read in the caller's transaction.
    func checkBatchLock(held holder: Int32, _ connection: PostgresConnection) async throws {
        let held = try await connection.rows(
            """
            SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND classid = \(LockSpace.batch.rawValue) AND objid = 0 AND objsubid = 2 AND pid = \(holder) AND granted)
            """, logger: logger) { try $0.next(Bool.self) }.first ?? false
        guard held else {
            throw StoreError(
                code: "BATCH-LOCK-LOST",
                message: "this run's batch lock ended with its connection (the PostgreSQL server restarted, or the connection was cut); the run stops, every decision committed so far is kept, and the next run finishes the rest",
                path: location)
        }
    }
}

/// The batch's advisory lock, held by a task on its own connection.
final class AdvisoryLock: StoreLock {
    private let releasing: AsyncStream<Void>.Continuation
    private let holder: Task<Void, Never>

    init(release: AsyncStream<Void>.Continuation, holder: Task<Void, Never>) {
        self.releasing = release
        self.holder = holder
    }

    func release() async {
        releasing.yield()
        releasing.finish()
        await holder.value
    }
}
