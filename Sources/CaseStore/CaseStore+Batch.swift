public import CaseRecord
public import Foundation
import GRDB

/// One decided inbox file: the batch's journal row. Written in the same transaction as the
/// store change it describes, so "decided" and "stored" can never disagree.
public struct ProcessedFile: Sendable, Codable, Hashable {
    public var sha256: String
    public var name: String
    /// `assessment`, `package`, `receipt` or `unknown`.
    public var kind: String
    /// `stored`, `duplicate`, `accepted`, `rejected`, `applied` or `quarantined`.
    public var outcome: String
    /// `archive` or `quarantine`: where the file goes once the decision is committed.
    public var destination: String
    /// Finding or reason codes, space-separated, sorted (no personal data).
    public var codes: String
    public var caseId: Int64?
    public var transferId: String?
    /// `<name>.findings.json`, exactly as written beside a quarantined file.
    public var findingsJSON: Data?
    /// The receipt answered for a package, exactly as written to the outbox.
    public var receiptName: String?
    public var receiptXML: Data?
    public var runId: Int64
    public var decidedAt: String

    public init(
        sha256: String, name: String, kind: String, outcome: String, destination: String, codes: [String],
        caseId: Int64? = nil, transferId: String? = nil, findingsJSON: Data? = nil,
        receiptName: String? = nil, receiptXML: Data? = nil, runId: Int64, decidedAt: String
    ) {
        self.sha256 = sha256
        self.name = name
        self.kind = kind
        self.outcome = outcome
        self.destination = destination
        self.codes = Set(codes).sorted().joined(separator: " ")
        self.caseId = caseId
        self.transferId = transferId
        self.findingsJSON = findingsJSON
        self.receiptName = receiptName
        self.receiptXML = receiptXML
        self.runId = runId
        self.decidedAt = decidedAt
    }

    public var codeList: [String] { codes.split(separator: " ").map(String.init) }
}

extension CaseStore {
    static func migrateBatchJournal(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE batchRun (
                id INTEGER PRIMARY KEY,
                startedAt TEXT NOT NULL,
                finishedAt TEXT,
                status TEXT NOT NULL,
                summaryJSON BLOB
            );
            CREATE TABLE processedFile (
                sha256 TEXT NOT NULL,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                outcome TEXT NOT NULL,
                destination TEXT NOT NULL CHECK (destination IN ('archive', 'quarantine')),
                codes TEXT NOT NULL,
                caseId INTEGER REFERENCES caseRecord(id),
                transferId TEXT,
                findingsJSON BLOB,
                receiptName TEXT,
                receiptXML BLOB,
                runId INTEGER NOT NULL REFERENCES batchRun(id),
                decidedAt TEXT NOT NULL,
                PRIMARY KEY (sha256, name)
            );
            """)
    }

    /// The decision recorded for a file, if any.
    public func processedFile(sha256: String, name: String) throws(StoreError) -> ProcessedFile? {
        try read { db in
            if readOnly, try !db.tableExists("processedFile") { return nil }
            // Cached: the batch asks this of every file before deciding it.
            return try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM processedFile WHERE sha256 = ? AND name = ?"), arguments: [sha256, name]).map(Self.processedRow)
        }
    }

    public func journal(_ file: ProcessedFile) throws(StoreError) {
        try writeBatch { db in try Self.insertProcessedFile(file, db: db) }
    }

    public func storeAndJournal(_ group: [JournalledStore], now: Date) throws(StoreError) -> [ProcessedFile] {
        guard !group.isEmpty else { return [] }
        return try writeBatch { db in
            try group.map { item in
                let document = item.document
                let file = try item.journal(try Self.insert(document.record, sourceXML: document.sourceXML, sourceName: document.sourceName, now: now, db: db, holders: document.holders, prepared: document.prepared))
                try Self.insertProcessedFile(file, db: db)
                return file
            }
        }
    }

    public func journal(receiptNamed receiptName: String, _ make: (_ earlierReceipts: [Data]) throws -> ProcessedFile) throws(StoreError) -> ProcessedFile {
        try writeBatch { db in
            let earlier = try Data.fetchAll(db, sql: "SELECT receiptXML FROM processedFile WHERE receiptName = ? AND receiptXML IS NOT NULL", arguments: [receiptName])
            let file = try make(earlier)
            try Self.insertProcessedFile(file, db: db)
            return file
        }
    }

    /// SQLite has no lock of its own that outlives a transaction: the batch locks a file.
    public func takeBatchLock() -> (any StoreLock)? { nil }

    /// Records a decision; fails (constraint) if the file was decided already.
    static func insertProcessedFile(_ file: ProcessedFile, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO processedFile (sha256, name, kind, outcome, destination, codes, caseId, transferId,
                    findingsJSON, receiptName, receiptXML, runId, decidedAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(
            arguments: [
                file.sha256, file.name, file.kind, file.outcome, file.destination, file.codes, file.caseId, file.transferId,
                file.findingsJSON, file.receiptName, file.receiptXML, file.runId, file.decidedAt,
            ])
    }

    static func processedRow(_ row: Row) -> ProcessedFile {
        var file = ProcessedFile(
            sha256: row["sha256"], name: row["name"], kind: row["kind"], outcome: row["outcome"], destination: row["destination"],
            codes: [], caseId: row["caseId"], transferId: row["transferId"], findingsJSON: row["findingsJSON"],
            receiptName: row["receiptName"], receiptXML: row["receiptXML"], runId: row["runId"], decidedAt: row["decidedAt"])
        file.codes = row["codes"]
        return file
    }

    /// Starts a batch run; runs still marked `running` were killed and are marked `interrupted`.
    public func beginBatchRun(now: Date = Date()) throws(StoreError) -> Int64 {
        try writeBatch { db in
            try db.execute(sql: "UPDATE batchRun SET status = 'interrupted' WHERE status = 'running'")
            try db.execute(sql: "INSERT INTO batchRun (startedAt, status) VALUES (?, 'running')", arguments: [Self.batchTimestamp(now)])
            return db.lastInsertedRowID
        }
    }

    /// Ends a batch run with its status (`finished` or `failed`) and summary.
    public func finishBatchRun(_ id: Int64, status: String, summaryJSON: Data, now: Date = Date()) throws(StoreError) {
        try writeBatch { db in
            try db.execute(
                sql: "UPDATE batchRun SET finishedAt = ?, status = ?, summaryJSON = ? WHERE id = ?",
                arguments: [Self.batchTimestamp(now), status, summaryJSON, id])
        }
    }

    /// Every decided file, for tests and audits.
    public func processedFiles() throws(StoreError) -> [ProcessedFile] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM processedFile ORDER BY name, sha256").map(Self.processedRow) }
    }

    /// Runs a write transaction for the batch, mapping failures to `StoreError`.
    func writeBatch<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try database.write(body)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(code: "STORE-ERROR", message: "\(error)", path: path)
        }
    }

    /// ISO 8601 in UTC, as every timestamp in the store (`2026-11-23T11:22:58Z`, the form of
    /// `ISO8601DateFormatter`). A format style, not a formatter per call: making an
    /// `ISO8601DateFormatter` (an ICU formatter) was 6% of an import's CPU.
    public static func batchTimestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}
