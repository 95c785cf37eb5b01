public import GRDB
import Dispatch

extension CaseStore {
    /// `v5-access`: organisations, users, sessions, sign-in throttles, who holds each case, and
    /// the append-only audit trail. Existing cases are held by the organisation named in their
    /// document, and a received case also by its receiver.
    static func migrateAccess(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE organisation (
                code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                requiresTOTP INTEGER NOT NULL DEFAULT 0,
                createdAt TEXT NOT NULL
            );
            CREATE TABLE account (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                organisationCode TEXT NOT NULL REFERENCES organisation(code),
                roles TEXT NOT NULL,
                passwordHash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                totpSecret TEXT,
                createdAt TEXT NOT NULL,
                passwordChangedAt TEXT NOT NULL
            );
            CREATE INDEX account_organisation ON account(organisationCode);
            CREATE TABLE session (
                idHash TEXT PRIMARY KEY,
                accountId INTEGER NOT NULL REFERENCES account(id),
                csrfToken TEXT NOT NULL,
                createdAt REAL NOT NULL,
                lastSeenAt REAL NOT NULL,
                secondFactorPending INTEGER NOT NULL,
                address TEXT
            );
            CREATE INDEX session_account ON session(accountId);
            CREATE TABLE signInThrottle (
                key TEXT PRIMARY KEY,
                failures INTEGER NOT NULL,
                windowStart REAL NOT NULL,
                lockedUntil REAL
            );
            CREATE TABLE caseHolder (
                caseId INTEGER NOT NULL REFERENCES caseRecord(id),
                organisationCode TEXT NOT NULL,
                PRIMARY KEY (organisationCode, caseId)
            ) WITHOUT ROWID;
            CREATE INDEX caseHolder_case ON caseHolder(caseId);
            INSERT OR IGNORE INTO caseHolder (caseId, organisationCode) SELECT id, organisationCode FROM caseRecord;
            INSERT OR IGNORE INTO caseHolder (caseId, organisationCode)
                SELECT caseId, receiverCode FROM receivedPackage WHERE caseId IS NOT NULL;
            ALTER TABLE caseRecord ADD COLUMN dateOfBirth TEXT
                GENERATED ALWAYS AS (json_extract(CAST(recordJSON AS TEXT), '$.person.dateOfBirth')) VIRTUAL;
            CREATE INDEX case_dateOfBirth ON caseRecord(dateOfBirth);
            CREATE INDEX case_pnc ON caseRecord(pnc);
            CREATE INDEX case_personRef ON caseRecord(personRef);
            CREATE TABLE auditEvent (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                accountId INTEGER,
                organisationCode TEXT NOT NULL,
                action TEXT NOT NULL,
                caseId INTEGER,
                transferId TEXT,
                address TEXT,
                outcome TEXT NOT NULL,
                detail TEXT,
                requestId TEXT
            );
            CREATE INDEX auditEvent_at ON auditEvent(at);
            CREATE INDEX auditEvent_case ON auditEvent(caseId);
            CREATE INDEX auditEvent_organisation ON auditEvent(organisationCode, id);
            CREATE TRIGGER auditEvent_no_update BEFORE UPDATE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            CREATE TRIGGER auditEvent_no_delete BEFORE DELETE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
            """)
    }

    /// Records that `organisations` hold a case (idempotent), inside the caller's transaction.
    public static func addHolders(_ db: Database, caseId: Int64, organisations: [String]) throws {
        for code in Set(organisations) where !code.isEmpty {
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO caseHolder (caseId, organisationCode, familyKey, givenKey, assessedOn, stage, statusKey, framework)
                SELECT id, ?, \(holderKeys) FROM caseRecord WHERE id = ?
                """).execute(arguments: [code, caseId])
        }
    }

    /// The organisations that hold a case, sorted.
    public func holders(caseId: Int64) throws(StoreError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT organisationCode FROM caseHolder WHERE caseId = ? ORDER BY organisationCode", arguments: [caseId])
        }
    }

    /// Runs a write for an `async` caller, mapping failures to `StoreError`. It takes GRDB's
    /// synchronous API on a thread of Dispatch's global pool, and the caller awaits the result:
    /// - a connection is taken and given back on that thread, never held across a suspension
    ///   (with the pool of `y2a serve`, an awaited GRDB read keeps its reader until its
    ///   continuation runs on the cooperative pool; when every cooperative thread is meanwhile
    ///   blocked waiting for a reader, nothing runs again: seen with 2 cores and 8 connections);
    /// - no cooperative thread waits while another process (a batch's group commit) holds
    ///   SQLite's write lock, for up to the busy timeout.
    func asyncWrite<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try await offThePool { try self.blockingWrite(body) }
    }

    /// Runs a read for an `async` caller, as `asyncWrite` runs a write.
    func asyncRead<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try await offThePool { try self.blockingRead(body) }
    }

    private func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws(StoreError) -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Result { try work() }) }
        }
        do {
            return try result.get()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, path: path)
        } catch {
            throw StoreError(code: "STORE-ERROR", message: "\(error)", path: path)
        }
    }

    /// GRDB's synchronous write (a synchronous context picks it over the `async` overload).
    private func blockingWrite<T>(_ body: (Database) throws -> T) throws -> T { try database.write(body) }

    /// GRDB's synchronous read.
    private func blockingRead<T>(_ body: (Database) throws -> T) throws -> T { try database.read(body) }
}
