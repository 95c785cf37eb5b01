public import CaseStore
public import Foundation
import PostgresNIO

extension PostgresStore {
    static let apiTokenColumns = "id, organisationCode, name, tokenHash, createdAt, expiresAt, revokedAt"

    static func apiTokenRecord(_ cells: inout Cells) throws -> APITokenRecord {
        APITokenRecord(
            id: try cells.next(), organisationCode: try cells.next(), name: try cells.next(), tokenHash: try cells.next(),
            createdAt: try cells.next(), expiresAt: try cells.next(), revokedAt: try cells.next())
    }

    public func addAPIToken(organisation: String, name: String, tokenHash: String, createdAt: String, expiresAt: String?) async throws -> APITokenRecord {
        try await transaction { connection in
            // One live token of a name per organisation: concurrent adds of the same name wait for each other.
            let lockKey = "api-token:" + organisation
            try await connection.run("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", logger: self.logger)
            let known = try await connection.rows("SELECT 1 FROM organisation WHERE code = \(organisation)", logger: self.logger) { try $0.next(Int32.self) }
            guard !known.isEmpty else {
                throw StoreError(code: "ORG-UNKNOWN", message: "no organisation \(organisation); add it first (y2a orgs add)", path: nil)
            }
            let taken = try await connection.rows(
                "SELECT 1 FROM apiToken WHERE organisationCode = \(organisation) AND name = \(name) AND revokedAt IS NULL", logger: self.logger
            ) { try $0.next(Int32.self) }
            guard taken.isEmpty else {
                throw StoreError(code: "TOKEN-EXISTS", message: "organisation \(organisation) already has a live token of this name; revoke it or choose another name", path: nil)
            }
            let statement: PostgresQuery = """
                INSERT INTO apiToken (organisationCode, name, tokenHash, createdAt, expiresAt)
                VALUES (\(organisation), \(name), \(tokenHash), \(createdAt), \(expiresAt))
                RETURNING \(unescaped: Self.apiTokenColumns)
                """
            guard let record = try await connection.rows(statement, logger: self.logger, Self.apiTokenRecord).first else {
                throw StoreError(code: "STORE-ERROR", message: "the token was not added", path: nil)
            }
            return record
        }
    }

    public func apiToken(hash: String) async throws -> APITokenRecord? {
        let bind = Binder()
        let statement = bind.query("SELECT \(Self.apiTokenColumns) FROM apiToken WHERE tokenHash = \(bind(hash))")
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.apiTokenRecord).first }
    }

    public func apiTokens(organisation: String?) async throws -> [APITokenRecord] {
        let bind = Binder()
        let statement = organisation.map { code in
            bind.query("SELECT \(Self.apiTokenColumns) FROM apiToken WHERE organisationCode = \(bind(code)) ORDER BY name, id")
        } ?? PostgresQuery(unsafeSQL: "SELECT \(Self.apiTokenColumns) FROM apiToken ORDER BY organisationCode, name, id")
        return try await withConnection { connection in try await connection.rows(statement, logger: self.logger, Self.apiTokenRecord) }
    }

    public func revokeAPIToken(id: Int64, at: String) async throws -> Bool {
        let changed = try await withConnection { connection in
            try await connection.rows("UPDATE apiToken SET revokedAt = \(at) WHERE id = \(id) AND revokedAt IS NULL RETURNING id", logger: self.logger) { try $0.next(Int64.self) }
        }
        return changed.count == 1
    }

    public func idempotentAnswer(tokenId: Int64, key: String) async throws -> IdempotentAnswer? {
        try await withConnection { connection in
            try await connection.rows(
                "SELECT requestHash, status, contentType, body, createdAt FROM idempotentAnswer WHERE tokenId = \(tokenId) AND key = \(key)", logger: self.logger
            ) { cells in
                IdempotentAnswer(
                    requestHash: try cells.next(), status: Int(try cells.next(Int32.self)), contentType: try cells.next(), body: try cells.next(),
                    createdAt: try cells.next())
            }.first
        }
    }

    public func keepIdempotentAnswer(tokenId: Int64, key: String, _ answer: IdempotentAnswer) async throws {
        let bind = Binder()
        let statement = bind.query("""
            INSERT INTO idempotentAnswer (tokenId, key, requestHash, status, contentType, body, createdAt)
            VALUES (\(bind(tokenId)), \(bind(key)), \(bind(answer.requestHash)), \(bind(Int32(answer.status))), \(bind(answer.contentType)),
                    \(try bind.bytes(answer.body)), \(bind(answer.createdAt)))
            ON CONFLICT (tokenId, key) DO NOTHING
            """)
        try await withConnection { connection in try await connection.run(statement, logger: self.logger) }
    }

    public func forgetIdempotentAnswers(before: String) async throws {
        try await withConnection { connection in
            try await connection.run("DELETE FROM idempotentAnswer WHERE createdAt < \(before)", logger: self.logger)
        }
    }
}

extension PostgresStore {
    public func batchRunCounts() async throws -> [String: Int] {
        let rows = try await withConnection { connection in
            try await connection.rows("SELECT status, COUNT(*) FROM batchRun GROUP BY status", logger: self.logger) { cells in
                (try cells.next(String.self), try cells.next(Int64.self))
            }
        }
        return Dictionary(rows.map { ($0.0, Int($0.1)) }, uniquingKeysWith: +)
    }
}
