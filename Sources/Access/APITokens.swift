public import CaseStore
public import Foundation

/// What a presented bearer token turned out to be.
public enum TokenCheck: Sendable, Equatable {
    /// A live token: the caller it acts as (its organisation, roles practitioner and admin).
    case valid(Caller, tokenId: Int64)
    /// No such token (or none was sent).
    case unknown
    case revoked(name: String, organisation: String)
    case expired(name: String, organisation: String)
}

/// API tokens of organisations: made once and shown once (`y2a tokens add`), kept as a SHA-256
/// (a token is 32 random bytes, so a fast hash is enough and lets the lookup be by hash).
public struct APITokens: Sendable {
    public let store: any APITokenStore
    public let accounts: any AccountStore
    public let audit: any AuditTrail
    private let clock: @Sendable () -> Date

    public init(store: any APITokenStore, accounts: any AccountStore, audit: any AuditTrail, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.accounts = accounts
        self.audit = audit
        self.clock = clock
    }

    public init(store: any Store, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.init(store: store, accounts: store, audit: store, clock: clock)
    }

    /// The prefix every token starts with, so a leaked one is recognisable in a scan.
    public static let prefix = "y2a_"

    /// Makes a token for `organisation`; returns the token (shown once, never stored) and its record.
    public func add(organisation: String, name: String, expires: Date?, by caller: Caller) async throws -> (token: String, record: APITokenRecord) {
        guard Policy.may(caller, .manageUsers, .organisation(organisation)) else {
            throw AccessError(code: "ACCESS-DENIED", message: "only an administrator of \(organisation) may make its API tokens")
        }
        guard try await accounts.organisation(code: organisation) != nil else {
            throw AccessError(code: "ACCESS-ORG", message: "no organisation \(organisation); add it first with `y2a orgs add`")
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100, trimmed.allSatisfy({ !$0.isNewline && $0.asciiValue.map { $0 >= 0x20 } ?? true }) else {
            throw AccessError(code: "TOKEN-NAME", message: "a token's name is 1 to 100 characters on one line (say what it is for, e.g. \"nDelius feed\")")
        }
        let now = clock()
        if let expires, expires <= now {
            throw AccessError(code: "TOKEN-EXPIRES", message: "the expiry date is in the past")
        }
        let token = Self.prefix + Tokens.random()
        let record = try await store.addAPIToken(
            organisation: organisation, name: trimmed, tokenHash: Tokens.hash(token), createdAt: AuditClock.format(now),
            expiresAt: expires.map(AuditClock.format))
        try await audit.append(AuditEvent(caller, .tokenAdded, detail: "token \(record.id)", at: now))
        return (token, record)
    }

    /// Revokes a token of `organisation` (by id); false when it has no such token.
    public func revoke(id: Int64, organisation: String, by caller: Caller) async throws -> Bool {
        guard Policy.may(caller, .manageUsers, .organisation(organisation)) else {
            throw AccessError(code: "ACCESS-DENIED", message: "only an administrator of \(organisation) may revoke its API tokens")
        }
        guard try await store.apiTokens(organisation: organisation).contains(where: { $0.id == id && $0.revokedAt == nil }) else { return false }
        let now = clock()
        guard try await store.revokeAPIToken(id: id, at: AuditClock.format(now)) else { return false }
        try await audit.append(AuditEvent(caller, .tokenRevoked, detail: "token \(id)", at: now))
        return true
    }

    /// Who a bearer token is. The token's name is the caller's `who`.
    public func check(bearer token: String, address: String?, requestId: String) async throws -> TokenCheck {
        guard token.hasPrefix(Self.prefix), token.utf8.count < 200, let record = try await store.apiToken(hash: Tokens.hash(token)) else {
            return .unknown
        }
        if record.revokedAt != nil { return .revoked(name: record.name, organisation: record.organisationCode) }
        if let expiresAt = record.expiresAt, expiresAt <= AuditClock.format(clock()) {
            return .expired(name: record.name, organisation: record.organisationCode)
        }
        let caller = Caller(
            who: "token:" + record.name, accountId: nil, organisation: record.organisationCode, roles: [.practitioner, .admin],
            address: address, requestId: requestId)
        return .valid(caller, tokenId: record.id)
    }
}
