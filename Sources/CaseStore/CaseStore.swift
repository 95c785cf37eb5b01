import CaseRecord
import Foundation
public import GRDB

/// The SQLite engine of the store (GRDB): cases, the people they describe, transfers and
/// batch runs in one file. Every change is one transaction. Implements every store interface
/// (`Store`); callers outside the store modules see only those.
public final class CaseStore: Sendable {
    /// The SQLite connections, for the engine's own tests; nothing outside the store modules
    /// uses them. With the write-ahead log (`y2a serve`, `y2a batch`) a pool: one writer and
    /// up to five readers at once, each read on a committed snapshot, so a page never waits
    /// behind another request's write. Otherwise one serialised connection.
    public let database: any DatabaseWriter
    public let path: String
    /// Opened read-only, unmigrated (a dry run): tables may be missing.
    let readOnly: Bool

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public convenience init(path: String) throws(StoreError) {
        try self.init(path: path, settings: StoreSettings())
    }

    public init(path: String, settings: StoreSettings) throws(StoreError) {
        self.path = path
        readOnly = settings.readOnly
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.label = "y2a-store"
            configuration.readonly = settings.readOnly
            if settings.readOnly {
                database = try DatabaseQueue(path: path, configuration: configuration)
                try database.read { db in try Self.checkNotNewer(db, path: path) }
                return
            }
            if settings.writeAheadLog {
                // GRDB's pool switches the file to WAL; every connection commits with one
                // fsync (a committed decision survives a power cut).
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                database = try DatabasePool(path: path, configuration: configuration)
            } else {
                database = try DatabaseQueue(path: path, configuration: configuration)
            }
            try Self.migrate(database, path: path)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(code: "STORE-OPEN", message: "cannot open the store: \(error)", path: path)
        }
    }

    /// An in-memory store, for tests.
    public init() throws(StoreError) {
        path = ":memory:"
        readOnly = false
        do {
            database = try DatabaseQueue()
            try Self.migrate(database, path: nil)
        } catch {
            throw StoreError(code: "STORE-OPEN", message: "cannot open an in-memory store: \(error)", path: nil)
        }
    }

    /// The schema versions, in order; the PostgreSQL engine has the same ones.
    public static var schemaVersions: [String] { migrator.migrations.map(\.identifier) }

    /// Brings the schema up to date in ONE immediate transaction: the first of several
    /// processes opening a new store at once migrates it, the others wait for the write lock
    /// (the busy timeout) and then find nothing left to do. (GRDB's `DatabaseMigrator` reads
    /// the applied versions outside the transaction that applies them, so two processes can
    /// both decide to create the same table.) Versions are kept in `grdb_migrations`, as
    /// GRDB's migrator kept them, so stores made before read the same.
    static func migrate(_ database: any DatabaseWriter, path: String?) throws {
        let migrations = migrator.migrations
        let upToDate = try database.read { db -> Bool in
            guard try db.tableExists("grdb_migrations") else { return false }
            try checkNotNewer(db, path: path)
            return Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")).isSuperset(of: migrations.map(\.identifier))
        }
        if upToDate { return }
        try database.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try checkNotNewer(db, path: path)
                let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                for migration in migrations where !applied.contains(migration.identifier) {
                    try migration.migrate(db)
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
                }
                return .commit
            }
        }
    }

    /// Refuses a store that a newer y2a migrated: this binary would not know its schema.
    static func checkNotNewer(_ db: Database, path: String?) throws(StoreError) {
        let known = Set(schemaVersions)
        let applied: [String]
        do {
            guard try db.tableExists("grdb_migrations") else { return }
            applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(code: "STORE-ERROR", message: "\(error)", path: path)
        }
        let unknown = applied.filter { !known.contains($0) }
        if !unknown.isEmpty { throw StoreError.tooNew(unknown, path: path) }
    }

    /// The migrations, as registered below.
    struct Migrations {
        struct Migration {
            var identifier: String
            var migrate: (Database) throws -> Void
        }

        var migrations: [Migration] = []

        mutating func registerMigration(_ identifier: String, migrate: @escaping (Database) throws -> Void) {
            precondition(!migrations.contains { $0.identifier == identifier }, "migration \(identifier) registered twice")
            migrations.append(Migration(identifier: identifier, migrate: migrate))
        }
    }

    /// Schema migrations, in order. Never edit a shipped one: add another.
    static var migrator: Migrations {
        var migrator = Migrations()
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
        migrator.registerMigration("v6-received-parties") { db in
            // Who sent a decided package, its kind and person id (from its manifest), so that
            // the receiver's transfers page needs no other store's ledger.
            try db.execute(sql: """
                ALTER TABLE receivedPackage ADD COLUMN senderCode TEXT;
                ALTER TABLE receivedPackage ADD COLUMN kind TEXT;
                ALTER TABLE receivedPackage ADD COLUMN personRef TEXT;
                """)
        }
        migrator.registerMigration("v7-list-indexes") { db in
            try CaseStore.migrateListIndexes(db)
        }
        migrator.registerMigration("v8-api-tokens") { db in
            try CaseStore.migrateAPITokens(db)
        }
        migrator.registerMigration("v9-search-index") { db in
            try CaseStore.migrateSearchIndex(db)
        }
        // How each source document is kept (`SourceCompression`): '' as it came, or 'zlib'.
        migrator.registerMigration("v10-source-compression") { db in
            try db.execute(sql: "ALTER TABLE caseRecord ADD COLUMN sourceCompression TEXT NOT NULL DEFAULT ''")
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

    /// A store migrated by a newer y2a (schema versions this binary does not know).
    public static func tooNew(_ versions: [String], path: String?) -> StoreError {
        StoreError(
            code: "STORE-TOO-NEW",
            message: "the store was migrated by a newer y2a (schema \(versions.sorted().joined(separator: ", ")) unknown to this one); run the newer y2a, or upgrade this host",
            path: path)
    }

    public var description: String {
        if let path { return "\(path): \(code): \(message)" }
        return "\(code): \(message)"
    }
}
