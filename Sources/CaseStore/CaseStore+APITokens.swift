import Foundation
import GRDB

extension CaseStore {
    /// `v8-api-tokens`: API tokens (hashes only) and the answers kept for idempotency keys.
    static func migrateAPITokens(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE apiToken (
                id INTEGER PRIMARY KEY,
                organisationCode TEXT NOT NULL REFERENCES organisation(code),
                name TEXT NOT NULL,
                tokenHash TEXT NOT NULL UNIQUE,
                createdAt TEXT NOT NULL,
                expiresAt TEXT,
                revokedAt TEXT
            );
            CREATE INDEX apiToken_organisation ON apiToken(organisationCode, name);
            CREATE TABLE idempotentAnswer (
                tokenId INTEGER NOT NULL REFERENCES apiToken(id),
                key TEXT NOT NULL,
                requestHash TEXT NOT NULL,
                status INTEGER NOT NULL,
                contentType TEXT NOT NULL,
                body BLOB NOT NULL,
                createdAt TEXT NOT NULL,
                PRIMARY KEY (tokenId, key)
            );
            CREATE INDEX idempotentAnswer_createdAt ON idempotentAnswer(createdAt);
            """)
    }

    static let apiTokenColumns = "id, organisationCode, name, tokenHash, createdAt, expiresAt, revokedAt"

    static func apiTokenRecord(_ row: Row) -> APITokenRecord {
        APITokenRecord(
            id: row["id"], organisationCode: row["organisationCode"], name: row["name"], tokenHash: row["tokenHash"],
            createdAt: row["createdAt"], expiresAt: row["expiresAt"], revokedAt: row["revokedAt"])
    }

    public func addAPIToken(organisation: String, name: String, tokenHash: String, createdAt: String, expiresAt: String?) async throws -> APITokenRecord {
        try await asyncWrite { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM organisation WHERE code = ?)", arguments: [organisation]) == true else {
                throw StoreError(code: "ORG-UNKNOWN", message: "no organisation \(organisation); add it first (y2a orgs add)", path: nil)
            }
            let taken = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM apiToken WHERE organisationCode = ? AND name = ? AND revokedAt IS NULL)",
                arguments: [organisation, name]) ?? false
            if taken {
                throw StoreError(code: "TOKEN-EXISTS", message: "organisation \(organisation) already has a live token of this name; revoke it or choose another name", path: nil)
            }
            try db.execute(
                sql: "INSERT INTO apiToken (organisationCode, name, tokenHash, createdAt, expiresAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [organisation, name, tokenHash, createdAt, expiresAt])
            return APITokenRecord(
                id: db.lastInsertedRowID, organisationCode: organisation, name: name, tokenHash: tokenHash,
                createdAt: createdAt, expiresAt: expiresAt, revokedAt: nil)
        }
    }

    public func apiToken(hash: String) async throws -> APITokenRecord? {
        try await asyncRead { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.apiTokenColumns) FROM apiToken WHERE tokenHash = ?", arguments: [hash]).map(Self.apiTokenRecord)
        }
    }

    public func apiTokens(organisation: String?) async throws -> [APITokenRecord] {
        try await asyncRead { db in
            if let organisation {
                return try Row.fetchAll(
                    db, sql: "SELECT \(Self.apiTokenColumns) FROM apiToken WHERE organisationCode = ? ORDER BY name, id", arguments: [organisation]
                ).map(Self.apiTokenRecord)
            }
            return try Row.fetchAll(db, sql: "SELECT \(Self.apiTokenColumns) FROM apiToken ORDER BY organisationCode, name, id").map(Self.apiTokenRecord)
        }
    }

    public func revokeAPIToken(id: Int64, at: String) async throws -> Bool {
        try await asyncWrite { db in
            try db.execute(sql: "UPDATE apiToken SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL", arguments: [at, id])
            return db.changesCount == 1
        }
    }

    public func idempotentAnswer(tokenId: Int64, key: String) async throws -> IdempotentAnswer? {
        try await asyncRead { db in
            try Row.fetchOne(
                db, sql: "SELECT requestHash, status, contentType, body, createdAt FROM idempotentAnswer WHERE tokenId = ? AND key = ?",
                arguments: [tokenId, key]
            ).map { IdempotentAnswer(requestHash: $0["requestHash"], status: $0["status"], contentType: $0["contentType"], body: $0["body"], createdAt: $0["createdAt"]) }
        }
    }

    public func keepIdempotentAnswer(tokenId: Int64, key: String, _ answer: IdempotentAnswer) async throws {
        try await asyncWrite { db in
            try db.execute(
                sql: """
                    INSERT INTO idempotentAnswer (tokenId, key, requestHash, status, contentType, body, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (tokenId, key) DO NOTHING
                    """,
                arguments: [tokenId, key, answer.requestHash, answer.status, answer.contentType, answer.body, answer.createdAt])
        }
    }

    public func forgetIdempotentAnswers(before: String) async throws {
        try await asyncWrite { db in
            try db.execute(sql: "DELETE FROM idempotentAnswer WHERE createdAt < ?", arguments: [before])
        }
    }
}

extension CaseStore {
    public func batchRunCounts() async throws -> [String: Int] {
        try await asyncRead { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS runs FROM batchRun GROUP BY status") {
                counts[row["status"]] = row["runs"]
            }
            return counts
        }
    }
}
