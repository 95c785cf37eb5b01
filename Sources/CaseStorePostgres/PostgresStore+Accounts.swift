public import CaseStore
public import Foundation
import PostgresNIO

extension PostgresStore {
    public func addOrganisation(_ organisation: OrganisationRecord) async throws {
        let added = try await withConnection { connection in
            try await connection.rows(
                """
                INSERT INTO organisation (code, name, kind, requiresTOTP, createdAt)
                VALUES (\(organisation.code), \(organisation.name), \(organisation.kind), \(organisation.requiresTOTP), \(organisation.createdAt))
                ON CONFLICT (code) DO NOTHING RETURNING code
                """, logger: self.logger) { try $0.next(String.self) }
        }
        if added.isEmpty {
            throw StoreError(code: "ORG-EXISTS", message: "organisation \(organisation.code) exists already", path: nil)
        }
    }

    static let organisationColumns = "code, name, kind, requiresTOTP, createdAt"

    static func organisationRecord(_ cells: inout Cells) throws -> OrganisationRecord {
        OrganisationRecord(code: try cells.next(), name: try cells.next(), kind: try cells.next(), requiresTOTP: try cells.next(), createdAt: try cells.next())
    }

    public func organisation(code: String) async throws -> OrganisationRecord? {
        let bind = Binder()
        let statement = bind.query("SELECT \(Self.organisationColumns) FROM organisation WHERE code = \(bind(code))")
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.organisationRecord).first }
    }

    public func organisations() async throws -> [OrganisationRecord] {
        let statement = PostgresQuery(unsafeSQL: "SELECT \(Self.organisationColumns) FROM organisation ORDER BY code")
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.organisationRecord) }
    }

    public func setRequiresTOTP(organisation code: String, _ required: Bool) async throws {
        let changed = try await withConnection { connection in
            try await connection.rows("UPDATE organisation SET requiresTOTP = \(required) WHERE code = \(code) RETURNING code", logger: self.logger) { try $0.next(String.self) }
        }
        guard changed.count == 1 else { throw StoreError(code: "ORG-UNKNOWN", message: "no organisation \(code)", path: nil) }
    }

    static let accountColumns = "id, name, organisationCode, roles, passwordHash, disabled, totpSecret, createdAt, passwordChangedAt"

    static func accountRecord(_ cells: inout Cells) throws -> AccountRecord {
        let (id, name, organisation, roles): (Int64, String, String, String) = (try cells.next(), try cells.next(), try cells.next(), try cells.next())
        return AccountRecord(
            id: id, name: name, organisationCode: organisation, roles: roles.split(separator: " ").map(String.init),
            passwordHash: try cells.next(), disabled: try cells.next(), totpSecret: try cells.next(), createdAt: try cells.next(),
            passwordChangedAt: try cells.next())
    }

    public func addAccount(name: String, organisation: String, roles: [String], passwordHash: String, at: String) async throws -> AccountRecord {
        let roleText = roles.sorted().joined(separator: " ")
        return try await transaction { connection in
            let known = try await connection.rows("SELECT 1 FROM organisation WHERE code = \(organisation)", logger: self.logger) { try $0.next(Int32.self) }
            guard !known.isEmpty else {
                throw StoreError(code: "ORG-UNKNOWN", message: "no organisation \(organisation); add it first (y2a orgs add)", path: nil)
            }
            let bind = Binder()
            let statement = bind.query("""
                INSERT INTO account (name, organisationCode, roles, passwordHash, disabled, createdAt, passwordChangedAt)
                VALUES (\(bind(name)), \(bind(organisation)), \(bind(roleText)), \(bind(passwordHash)), false, \(bind(at)), \(bind(at)))
                ON CONFLICT (name) DO NOTHING RETURNING \(Self.accountColumns)
                """)
            guard let account = try await connection.rows(statement, logger: self.logger, Self.accountRecord).first else {
                throw StoreError(code: "ACCOUNT-EXISTS", message: "a user with that name exists already", path: nil)
            }
            return account
        }
    }

    public func account(id: Int64) async throws -> AccountRecord? {
        let bind = Binder()
        let statement = bind.query("SELECT \(Self.accountColumns) FROM account WHERE id = \(bind(id))")
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.accountRecord).first }
    }

    public func account(name: String) async throws -> AccountRecord? {
        let bind = Binder()
        let statement = bind.query("SELECT \(Self.accountColumns) FROM account WHERE name = \(bind(name))")
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.accountRecord).first }
    }

    public func accounts(organisation: String?) async throws -> [AccountRecord] {
        let bind = Binder()
        let statement = organisation.map { bind.query("SELECT \(Self.accountColumns) FROM account WHERE organisationCode = \(bind($0)) ORDER BY name") }
            ?? bind.query("SELECT \(Self.accountColumns) FROM account ORDER BY organisationCode, name")
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.accountRecord) }
    }

    public func setPasswordHash(account id: Int64, _ hash: String, at: String) async throws {
        try await updateAccount("UPDATE account SET passwordHash = \(hash), passwordChangedAt = \(at) WHERE id = \(id) RETURNING id")
    }

    public func setRoles(account id: Int64, _ roles: [String]) async throws {
        try await updateAccount("UPDATE account SET roles = \(roles.sorted().joined(separator: " ")) WHERE id = \(id) RETURNING id")
    }

    public func setDisabled(account id: Int64, _ disabled: Bool) async throws {
        try await transaction { connection in
            let changed = try await connection.rows("UPDATE account SET disabled = \(disabled) WHERE id = \(id) RETURNING id", logger: self.logger) { try $0.next(Int64.self) }
            guard changed.count == 1 else { throw StoreError(code: "ACCOUNT-UNKNOWN", message: "no such user", path: nil) }
            // A disabled user's sessions end now, in the same transaction.
            if disabled { try await connection.run("DELETE FROM session WHERE accountId = \(id)", logger: self.logger) }
        }
    }

    public func setTOTPSecret(account id: Int64, _ secret: String?) async throws {
        try await updateAccount("UPDATE account SET totpSecret = \(secret) WHERE id = \(id) RETURNING id")
    }

    private func updateAccount(_ statement: PostgresQuery) async throws {
        let changed = try await withConnection { connection in try await connection.rows(statement, logger: self.logger) { try $0.next(Int64.self) } }
        guard changed.count == 1 else { throw StoreError(code: "ACCOUNT-UNKNOWN", message: "no such user", path: nil) }
    }

    public func lockedUntil(key: String, now: Date) async throws -> Date? {
        let until = try await withConnection { connection in
            try await connection.rows("SELECT lockedUntil FROM signInThrottle WHERE key = \(key)", logger: self.logger) { try $0.next(Double?.self) }.first ?? nil
        }
        guard let until, until > now.timeIntervalSince1970 else { return nil }
        return Date(timeIntervalSince1970: until)
    }

    /// Under the key's advisory lock: two nodes counting failures for one key count both.
    public func recordFailure(key: String, now: Date, window: TimeInterval, limit: Int, lockFor: TimeInterval) async throws -> Date? {
        try await transaction { connection in
            try await connection.run("SELECT pg_advisory_xact_lock(\(LockSpace.throttle.rawValue), hashtext(\(key)))", logger: self.logger)
            let t = now.timeIntervalSince1970
            var failures = 1
            var windowStart = t
            if let (count, start) = try await connection.rows("SELECT failures, windowStart FROM signInThrottle WHERE key = \(key)", logger: self.logger, {
                (try $0.next(Int32.self), try $0.next(Double.self))
            }).first, t - start <= window {
                failures = Int(count) + 1
                windowStart = start
            }
            let locked: Double? = failures >= limit ? t + lockFor : nil
            let storedFailures = Int32(locked == nil ? failures : 0)
            let storedStart = locked == nil ? windowStart : t
            try await connection.run(
                """
                INSERT INTO signInThrottle (key, failures, windowStart, lockedUntil) VALUES (\(key), \(storedFailures), \(storedStart), \(locked))
                ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, windowStart = excluded.windowStart,
                    lockedUntil = COALESCE(excluded.lockedUntil, signInThrottle.lockedUntil)
                """, logger: self.logger)
            return locked.map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func clearFailures(key: String) async throws {
        try await withConnection { connection in try await connection.run("DELETE FROM signInThrottle WHERE key = \(key)", logger: self.logger) }
    }
}

extension PostgresStore {
    public func createSession(_ session: SessionRecord) async throws {
        try await withConnection { connection in
            try await connection.run(
                """
                INSERT INTO session (idHash, accountId, csrfToken, createdAt, lastSeenAt, secondFactorPending, address)
                VALUES (\(session.idHash), \(session.accountId), \(session.csrfToken), \(session.createdAt.timeIntervalSince1970),
                    \(session.lastSeenAt.timeIntervalSince1970), \(session.secondFactorPending), \(session.address))
                """, logger: self.logger)
        }
    }

    public func session(idHash: String) async throws -> SessionRecord? {
        try await withConnection { connection in
            try await connection.rows(
                "SELECT idHash, accountId, csrfToken, createdAt, lastSeenAt, secondFactorPending, address FROM session WHERE idHash = \(idHash)",
                logger: self.logger
            ) {
                SessionRecord(
                    idHash: try $0.next(), accountId: try $0.next(), csrfToken: try $0.next(),
                    createdAt: Date(timeIntervalSince1970: try $0.next(Double.self)), lastSeenAt: Date(timeIntervalSince1970: try $0.next(Double.self)),
                    secondFactorPending: try $0.next(), address: try $0.next())
            }.first
        }
    }

    public func touchSession(idHash: String, at: Date) async throws {
        try await withConnection { connection in
            try await connection.run("UPDATE session SET lastSeenAt = \(at.timeIntervalSince1970) WHERE idHash = \(idHash)", logger: self.logger)
        }
    }

    public func completeSecondFactor(idHash: String) async throws {
        try await withConnection { connection in
            try await connection.run("UPDATE session SET secondFactorPending = false WHERE idHash = \(idHash)", logger: self.logger)
        }
    }

    public func deleteSession(idHash: String) async throws {
        try await withConnection { connection in try await connection.run("DELETE FROM session WHERE idHash = \(idHash)", logger: self.logger) }
    }

    public func deleteSessions(account id: Int64) async throws {
        try await withConnection { connection in try await connection.run("DELETE FROM session WHERE accountId = \(id)", logger: self.logger) }
    }
}

extension PostgresStore {
    /// One sequence for every node: the identity column orders the trail.
    public func append(_ event: AuditEvent) async throws {
        try await withConnection { connection in
            try await connection.run(
                """
                INSERT INTO auditEvent (at, actor, accountId, organisationCode, action, caseId, transferId, address, outcome, detail, requestId)
                VALUES (\(event.at), \(event.actor), \(event.accountId), \(event.organisationCode), \(event.action), \(event.caseId),
                    \(event.transferId), \(event.address), \(event.outcome), \(event.detail), \(event.requestId))
                """, logger: self.logger)
        }
    }

    public func auditEvents(_ query: AuditQuery) async throws -> [AuditEvent] {
        let bind = Binder()
        var conditions: [String] = []
        if let since = query.since { conditions.append("at >= \(bind(since))") }
        if let actor = query.actor { conditions.append("actor = \(bind(actor))") }
        if let caseId = query.caseId { conditions.append("caseId = \(bind(caseId))") }
        if let organisation = query.organisation { conditions.append("organisationCode = \(bind(organisation))") }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let statement = bind.query("""
            SELECT id, at, actor, accountId, organisationCode, action, caseId, transferId, address, outcome, detail, requestId
            FROM auditEvent \(filter) ORDER BY id LIMIT \(max(1, query.limit))
            """)
        return try await withConnection { connection in
            try await connection.rows(statement, logger: self.logger) {
                AuditEvent(
                    id: try $0.next(), at: try $0.next(), actor: try $0.next(), accountId: try $0.next(), organisationCode: try $0.next(),
                    action: try $0.next(), caseId: try $0.next(), transferId: try $0.next(), address: try $0.next(), outcome: try $0.next(),
                    detail: try $0.next(), requestId: try $0.next())
            }
        }
    }
}
