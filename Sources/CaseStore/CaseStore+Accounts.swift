public import Foundation
import GRDB

extension CaseStore: AccountStore {
    public func addOrganisation(_ organisation: OrganisationRecord) async throws {
        try await asyncWrite { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM organisation WHERE code = ?", arguments: [organisation.code]) == true {
                throw StoreError(code: "ORG-EXISTS", message: "organisation \(organisation.code) exists already", path: nil)
            }
            try db.execute(
                sql: "INSERT INTO organisation (code, name, kind, requiresTOTP, createdAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [organisation.code, organisation.name, organisation.kind, organisation.requiresTOTP, organisation.createdAt])
        }
    }

    public func organisation(code: String) async throws -> OrganisationRecord? {
        try await asyncRead { db in
            try Row.fetchOne(db, sql: "SELECT * FROM organisation WHERE code = ?", arguments: [code]).map(Self.organisationRecord)
        }
    }

    public func organisations() async throws -> [OrganisationRecord] {
        try await asyncRead { db in
            try Row.fetchAll(db, sql: "SELECT * FROM organisation ORDER BY code").map(Self.organisationRecord)
        }
    }

    public func setRequiresTOTP(organisation code: String, _ required: Bool) async throws {
        try await asyncWrite { db in
            try db.execute(sql: "UPDATE organisation SET requiresTOTP = ? WHERE code = ?", arguments: [required, code])
            guard db.changesCount == 1 else { throw StoreError(code: "ORG-UNKNOWN", message: "no organisation \(code)", path: nil) }
        }
    }

    public func addAccount(name: String, organisation: String, roles: [String], passwordHash: String, at: String) async throws -> AccountRecord {
        try await asyncWrite { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM organisation WHERE code = ?", arguments: [organisation]) == true else {
                throw StoreError(code: "ORG-UNKNOWN", message: "no organisation \(organisation); add it first (y2a orgs add)", path: nil)
            }
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM account WHERE name = ?", arguments: [name]) == true {
                throw StoreError(code: "ACCOUNT-EXISTS", message: "a user with that name exists already", path: nil)
            }
            try db.execute(
                sql: """
                    INSERT INTO account (name, organisationCode, roles, passwordHash, disabled, createdAt, passwordChangedAt)
                    VALUES (?, ?, ?, ?, 0, ?, ?)
                    """,
                arguments: [name, organisation, roles.sorted().joined(separator: " "), passwordHash, at, at])
            return try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [db.lastInsertedRowID]).map(Self.accountRecord)!
        }
    }

    public func account(id: Int64) async throws -> AccountRecord? {
        try await asyncRead { db in try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id]).map(Self.accountRecord) }
    }

    public func account(name: String) async throws -> AccountRecord? {
        try await asyncRead { db in try Row.fetchOne(db, sql: "SELECT * FROM account WHERE name = ?", arguments: [name]).map(Self.accountRecord) }
    }

    public func accounts(organisation: String?) async throws -> [AccountRecord] {
        try await asyncRead { db in
            if let organisation {
                return try Row.fetchAll(db, sql: "SELECT * FROM account WHERE organisationCode = ? ORDER BY name", arguments: [organisation]).map(Self.accountRecord)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY organisationCode, name").map(Self.accountRecord)
        }
    }

    public func setPasswordHash(account id: Int64, _ hash: String, at: String) async throws {
        try await updateAccount(id, sql: "UPDATE account SET passwordHash = ?, passwordChangedAt = ? WHERE id = ?", [hash, at, id])
    }

    public func setRoles(account id: Int64, _ roles: [String]) async throws {
        try await updateAccount(id, sql: "UPDATE account SET roles = ? WHERE id = ?", [roles.sorted().joined(separator: " "), id])
    }

    public func setDisabled(account id: Int64, _ disabled: Bool) async throws {
        try await asyncWrite { db in
            try db.execute(sql: "UPDATE account SET disabled = ? WHERE id = ?", arguments: [disabled, id])
            guard db.changesCount == 1 else { throw StoreError(code: "ACCOUNT-UNKNOWN", message: "no such user", path: nil) }
            // A disabled user's sessions end now, in the same transaction.
            if disabled { try db.execute(sql: "DELETE FROM session WHERE accountId = ?", arguments: [id]) }
        }
    }

    public func setTOTPSecret(account id: Int64, _ secret: String?) async throws {
        try await updateAccount(id, sql: "UPDATE account SET totpSecret = ? WHERE id = ?", [secret, id])
    }

    public func lockedUntil(key: String, now: Date) async throws -> Date? {
        try await asyncRead { db in
            guard let until = try Double.fetchOne(db, sql: "SELECT lockedUntil FROM signInThrottle WHERE key = ?", arguments: [key]),
                until > now.timeIntervalSince1970
            else { return nil }
            return Date(timeIntervalSince1970: until)
        }
    }

    public func recordFailure(key: String, now: Date, window: TimeInterval, limit: Int, lockFor: TimeInterval) async throws -> Date? {
        try await asyncWrite { db in
            let t = now.timeIntervalSince1970
            var failures = 1
            var windowStart = t
            if let row = try Row.fetchOne(db, sql: "SELECT failures, windowStart FROM signInThrottle WHERE key = ?", arguments: [key]) {
                let start: Double = row["windowStart"]
                if t - start <= window {
                    failures = (row["failures"] as Int) + 1
                    windowStart = start
                }
            }
            let locked: Double? = failures >= limit ? t + lockFor : nil
            try db.execute(
                sql: """
                    INSERT INTO signInThrottle (key, failures, windowStart, lockedUntil) VALUES (?, ?, ?, ?)
                    ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, windowStart = excluded.windowStart,
                        lockedUntil = COALESCE(excluded.lockedUntil, signInThrottle.lockedUntil)
                    """,
                arguments: [key, locked == nil ? failures : 0, locked == nil ? windowStart : t, locked])
            return locked.map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func clearFailures(key: String) async throws {
        try await asyncWrite { db in try db.execute(sql: "DELETE FROM signInThrottle WHERE key = ?", arguments: [key]) }
    }

    private func updateAccount(_ id: Int64, sql: String, _ arguments: StatementArguments) async throws {
        try await asyncWrite { db in
            try db.execute(sql: sql, arguments: arguments)
            guard db.changesCount == 1 else { throw StoreError(code: "ACCOUNT-UNKNOWN", message: "no such user", path: nil) }
        }
    }

    static func organisationRecord(_ row: Row) -> OrganisationRecord {
        OrganisationRecord(code: row["code"], name: row["name"], kind: row["kind"], requiresTOTP: row["requiresTOTP"], createdAt: row["createdAt"])
    }

    static func accountRecord(_ row: Row) -> AccountRecord {
        let roles: String = row["roles"]
        return AccountRecord(
            id: row["id"], name: row["name"], organisationCode: row["organisationCode"],
            roles: roles.split(separator: " ").map(String.init), passwordHash: row["passwordHash"],
            disabled: row["disabled"], totpSecret: row["totpSecret"], createdAt: row["createdAt"],
            passwordChangedAt: row["passwordChangedAt"])
    }
}

extension CaseStore: SessionStore {
    public func createSession(_ session: SessionRecord) async throws {
        try await asyncWrite { db in
            try db.execute(
                sql: """
                    INSERT INTO session (idHash, accountId, csrfToken, createdAt, lastSeenAt, secondFactorPending, address)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [session.idHash, session.accountId, session.csrfToken, session.createdAt.timeIntervalSince1970,
                            session.lastSeenAt.timeIntervalSince1970, session.secondFactorPending, session.address])
        }
    }

    public func session(idHash: String) async throws -> SessionRecord? {
        try await asyncRead { db in
            try Row.fetchOne(db, sql: "SELECT * FROM session WHERE idHash = ?", arguments: [idHash]).map {
                SessionRecord(
                    idHash: $0["idHash"], accountId: $0["accountId"], csrfToken: $0["csrfToken"],
                    createdAt: Date(timeIntervalSince1970: $0["createdAt"]), lastSeenAt: Date(timeIntervalSince1970: $0["lastSeenAt"]),
                    secondFactorPending: $0["secondFactorPending"], address: $0["address"])
            }
        }
    }

    public func touchSession(idHash: String, at: Date) async throws {
        try await asyncWrite { db in
            try db.execute(sql: "UPDATE session SET lastSeenAt = ? WHERE idHash = ?", arguments: [at.timeIntervalSince1970, idHash])
        }
    }

    public func completeSecondFactor(idHash: String) async throws {
        try await asyncWrite { db in
            try db.execute(sql: "UPDATE session SET secondFactorPending = 0 WHERE idHash = ?", arguments: [idHash])
        }
    }

    public func deleteSession(idHash: String) async throws {
        try await asyncWrite { db in try db.execute(sql: "DELETE FROM session WHERE idHash = ?", arguments: [idHash]) }
    }

    public func deleteSessions(account id: Int64) async throws {
        try await asyncWrite { db in try db.execute(sql: "DELETE FROM session WHERE accountId = ?", arguments: [id]) }
    }
}
