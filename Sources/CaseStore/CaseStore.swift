import CaseRecord
import Foundation
public import GRDB

/// The gateway's state: cases, the people they describe, and (in later migrations) transfers
/// and batch runs, in one SQLite file. Every change is one transaction.
public final class CaseStore: Sendable {
    public let database: DatabaseQueue
    public let path: String

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.label = "y2a-store"
            database = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(code: "STORE-OPEN", message: "cannot open the store: \(error)", path: path)
        }
    }

    /// An in-memory store, for tests.
    public init() throws(StoreError) {
        path = ":memory:"
        do {
            database = try DatabaseQueue()
            try Self.migrator.migrate(database)
        } catch {
            throw StoreError(code: "STORE-OPEN", message: "cannot open an in-memory store: \(error)", path: nil)
        }
    }

    /// Schema migrations, in order. Never edit a shipped one: add another.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-cases") { db in
            try db.execute(sql: """
                CREATE TABLE person (
                    id INTEGER PRIMARY KEY,
                    pnc TEXT,
                    matchKey TEXT NOT NULL,
                    createdAt TEXT NOT NULL
                );
                CREATE INDEX person_pnc ON person(pnc);
                CREATE INDEX person_match ON person(matchKey);
                CREATE TABLE caseRecord (
                    id INTEGER PRIMARY KEY,
                    personId INTEGER NOT NULL REFERENCES person(id),
                    sha256 TEXT NOT NULL UNIQUE,
                    framework TEXT NOT NULL,
                    documentId TEXT NOT NULL,
                    organisationCode TEXT NOT NULL,
                    personRef TEXT,
                    pnc TEXT,
                    familyName TEXT NOT NULL,
                    givenNames TEXT NOT NULL,
                    stage TEXT NOT NULL,
                    status TEXT NOT NULL,
                    transferStatus TEXT,
                    assessedOn TEXT NOT NULL,
                    exportedAt TEXT NOT NULL,
                    importedAt TEXT NOT NULL,
                    sourceName TEXT NOT NULL,
                    recordJSON BLOB NOT NULL,
                    sourceXML BLOB NOT NULL
                );
                CREATE INDEX case_person ON caseRecord(personId);
                CREATE INDEX case_assessed ON caseRecord(assessedOn);
                """)
        }
        migrator.registerMigration("v2-transfers") { db in
            // Sender side: one row per package built, its status, and an append-only history.
            // Receiver side: one row per package decided, keyed by its bytes, with the receipt sent.
            try db.execute(sql: """
                CREATE TABLE transfer (
                    transferId TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    personRef TEXT NOT NULL,
                    senderCode TEXT NOT NULL,
                    recipientCode TEXT NOT NULL,
                    recipientName TEXT NOT NULL,
                    documentId TEXT NOT NULL,
                    packageSha256 TEXT NOT NULL,
                    packageName TEXT NOT NULL,
                    status TEXT NOT NULL,
                    createdAt TEXT NOT NULL,
                    updatedAt TEXT NOT NULL,
                    reason TEXT
                );
                CREATE TABLE transferEvent (
                    id INTEGER PRIMARY KEY,
                    transferId TEXT NOT NULL REFERENCES transfer(transferId),
                    fromStatus TEXT,
                    toStatus TEXT NOT NULL,
                    at TEXT NOT NULL,
                    detail TEXT
                );
                CREATE INDEX transferEvent_transfer ON transferEvent(transferId, id);
                CREATE TRIGGER transferEvent_no_update BEFORE UPDATE ON transferEvent
                    BEGIN SELECT RAISE(ABORT, 'transfer history is append-only'); END;
                CREATE TRIGGER transferEvent_no_delete BEFORE DELETE ON transferEvent
                    BEGIN SELECT RAISE(ABORT, 'transfer history is append-only'); END;
                CREATE TABLE receivedPackage (
                    id INTEGER PRIMARY KEY,
                    receiverCode TEXT NOT NULL,
                    packageSha256 TEXT NOT NULL,
                    transferId TEXT,
                    decision TEXT NOT NULL,
                    reasons TEXT NOT NULL,
                    caseId INTEGER REFERENCES caseRecord(id),
                    decidedAt TEXT NOT NULL,
                    receiptXML BLOB,
                    UNIQUE (receiverCode, packageSha256)
                );
                CREATE INDEX receivedPackage_transfer ON receivedPackage(receiverCode, transferId);
                """)
        }
        migrator.registerMigration("v3-case-documents") { db in
            // Files that came with a case in a transfer package (NOCO.xml, attachments).
            try db.execute(sql: """
                CREATE TABLE caseDocument (
                    id INTEGER PRIMARY KEY,
                    caseId INTEGER NOT NULL REFERENCES caseRecord(id),
                    fileName TEXT NOT NULL,
                    mediaType TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    isNOCO INTEGER NOT NULL,
                    transferId TEXT,
                    bytes BLOB NOT NULL,
                    UNIQUE (caseId, fileName, sha256)
                );
                """)
        }
        migrator.registerMigration("v4-batch") { db in
            try CaseStore.migrateBatchJournal(db)
        }
        migrator.registerMigration("v5-access") { db in
            try CaseStore.migrateAccess(db)
        }
        return migrator
    }
}

/// A store failure: locked, corrupt, full, unreadable. Thrown; says what to do.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var path: String?

    public init(code: String, message: String, path: String?) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// Maps SQLite's result codes to actionable messages. Statement arguments are never shown
    /// (they may hold a child's name).
    public init(_ error: DatabaseError, path: String?) {
        self.path = path
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            code = "STORE-LOCKED"
            message = "the store is locked by another process; wait for it to finish and try again"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            code = "STORE-CORRUPT"
            message = "the store file is damaged or not a y2a store; restore it from a backup or point --store elsewhere"
        case .SQLITE_FULL:
            code = "STORE-FULL"
            message = "the disk is full; free space and run again (nothing was half-written)"
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            code = "STORE-ACCESS"
            message = "cannot write the store; check the file and folder permissions"
        default:
            code = "STORE-ERROR"
            message = "database error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
    }

    public var description: String {
        if let path { return "\(path): \(code): \(message)" }
        return "\(code): \(message)"
    }
}
