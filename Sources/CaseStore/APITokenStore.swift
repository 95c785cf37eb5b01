public import Foundation

/// An API token of one organisation, as stored: only the SHA-256 of the token itself is kept, so
/// a copy of the store lets nobody call the API.
public struct APITokenRecord: Sendable, Codable, Hashable {
    public var id: Int64
    public var organisationCode: String
    /// What the token is for (`nDelius feed`): the actor in the audit trail.
    public var name: String
    /// Hex SHA-256 of the token.
    public var tokenHash: String
    /// ISO 8601, UTC.
    public var createdAt: String
    /// ISO 8601, UTC; nil: never expires.
    public var expiresAt: String?
    public var revokedAt: String?

    public init(id: Int64, organisationCode: String, name: String, tokenHash: String, createdAt: String, expiresAt: String?, revokedAt: String?) {
        self.id = id
        self.organisationCode = organisationCode
        self.name = name
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// An answer kept for an `Idempotency-Key`: the same token and key with the same request are
/// answered with it again.
public struct IdempotentAnswer: Sendable, Hashable {
    /// Hex SHA-256 of the method, path and body the key was first used with.
    public var requestHash: String
    public var status: Int
    public var contentType: String
    public var body: Data
    public var createdAt: String

    public init(requestHash: String, status: Int, contentType: String, body: Data, createdAt: String) {
        self.requestHash = requestHash
        self.status = status
        self.contentType = contentType
        self.body = body
        self.createdAt = createdAt
    }
}

/// API tokens and idempotency keys: what the API's front door needs from the store.
public protocol APITokenStore: Sendable {
    /// Adds a token; throws `TOKEN-EXISTS` when the organisation has a live token of this name,
    /// `ORG-UNKNOWN` when there is no such organisation.
    func addAPIToken(organisation: String, name: String, tokenHash: String, createdAt: String, expiresAt: String?) async throws -> APITokenRecord
    func apiToken(hash: String) async throws -> APITokenRecord?
    /// The tokens of one organisation, or of all when nil, by organisation, name and id.
    func apiTokens(organisation: String?) async throws -> [APITokenRecord]
    /// Revokes the live token with this id; false when there is none.
    func revokeAPIToken(id: Int64, at: String) async throws -> Bool

    func idempotentAnswer(tokenId: Int64, key: String) async throws -> IdempotentAnswer?
    /// Keeps an answer; a second answer for the same token and key keeps the first.
    func keepIdempotentAnswer(tokenId: Int64, key: String, _ answer: IdempotentAnswer) async throws
    /// Forgets answers created before `before` (ISO 8601).
    func forgetIdempotentAnswers(before: String) async throws
}

/// Counts for the operations endpoints (`/metrics`): never a row's content.
public protocol StoreStatistics: Sendable {
    /// The nightly batch's runs by status (`finished`, `failed`, `interrupted`, `running`).
    func batchRunCounts() async throws -> [String: Int]
}
