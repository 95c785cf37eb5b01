public import Foundation

/// An organisation that holds cases: a YOT or a probation delivery unit (or the hub itself).
public struct OrganisationRecord: Sendable, Codable, Hashable {
    public var code: String
    public var name: String
    /// `yot`, `probation` or `hub`.
    public var kind: String
    /// Users of this organisation must give a TOTP code after their password.
    public var requiresTOTP: Bool
    public var createdAt: String

    public init(code: String, name: String, kind: String, requiresTOTP: Bool = false, createdAt: String) {
        self.code = code
        self.name = name
        self.kind = kind
        self.requiresTOTP = requiresTOTP
        self.createdAt = createdAt
    }
}

/// A user account as stored. The password is only ever a bcrypt hash.
public struct AccountRecord: Sendable, Codable, Hashable {
    public var id: Int64
    public var name: String
    public var organisationCode: String
    /// Role names (the Access module gives them meaning).
    public var roles: [String]
    public var passwordHash: String
    public var disabled: Bool
    /// The TOTP shared secret, once enrolled.
    public var totpSecret: String?
    public var createdAt: String
    public var passwordChangedAt: String

    public init(
        id: Int64, name: String, organisationCode: String, roles: [String], passwordHash: String, disabled: Bool,
        totpSecret: String?, createdAt: String, passwordChangedAt: String
    ) {
        self.id = id
        self.name = name
        self.organisationCode = organisationCode
        self.roles = roles
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.totpSecret = totpSecret
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
    }
}

/// A signed-in (or half signed-in) browser session. Only the SHA-256 of the session id is kept,
/// so a copy of the store does not let anyone sign in.
public struct SessionRecord: Sendable, Hashable {
    public var idHash: String
    public var accountId: Int64
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    /// The password was right; the second factor is still to come.
    public var secondFactorPending: Bool
    public var address: String?

    public init(idHash: String, accountId: Int64, csrfToken: String, createdAt: Date, lastSeenAt: Date, secondFactorPending: Bool, address: String?) {
        self.idHash = idHash
        self.accountId = accountId
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.secondFactorPending = secondFactorPending
        self.address = address
    }
}

/// Organisations and user accounts, with the counters that throttle sign-in.
public protocol AccountStore: Sendable {
    func addOrganisation(_ organisation: OrganisationRecord) async throws
    func organisation(code: String) async throws -> OrganisationRecord?
    func organisations() async throws -> [OrganisationRecord]
    func setRequiresTOTP(organisation code: String, _ required: Bool) async throws

    /// Adds a user; throws `ACCOUNT-EXISTS` when the name is taken.
    func addAccount(name: String, organisation: String, roles: [String], passwordHash: String, at: String) async throws -> AccountRecord
    func account(id: Int64) async throws -> AccountRecord?
    func account(name: String) async throws -> AccountRecord?
    /// Accounts of one organisation, or of all when `organisation` is nil, by name.
    func accounts(organisation: String?) async throws -> [AccountRecord]
    func setPasswordHash(account id: Int64, _ hash: String, at: String) async throws
    func setRoles(account id: Int64, _ roles: [String]) async throws
    func setDisabled(account id: Int64, _ disabled: Bool) async throws
    func setTOTPSecret(account id: Int64, _ secret: String?) async throws

    /// Until when the key (an account or an address) is locked out, if it is.
    func lockedUntil(key: String, now: Date) async throws -> Date?
    /// Counts a failed sign-in against `key`; locks it for `lockFor` once `limit` failures fall
    /// within `window`. Returns the lock's end when this failure locked it.
    func recordFailure(key: String, now: Date, window: TimeInterval, limit: Int, lockFor: TimeInterval) async throws -> Date?
    func clearFailures(key: String) async throws
}

/// Browser sessions.
public protocol SessionStore: Sendable {
    func createSession(_ session: SessionRecord) async throws
    func session(idHash: String) async throws -> SessionRecord?
    func touchSession(idHash: String, at: Date) async throws
    func completeSecondFactor(idHash: String) async throws
    func deleteSession(idHash: String) async throws
    func deleteSessions(account id: Int64) async throws
}

/// One access, as the audit trail keeps it: who, what, when, which case or transfer, from where,
/// and the outcome. Never a document value or a search term.
public struct AuditEvent: Sendable, Codable, Hashable {
    public var id: Int64?
    /// ISO 8601, UTC, whole seconds.
    public var at: String
    /// The user name, API token name, or `system`/`operator` for the command line.
    public var actor: String
    public var accountId: Int64?
    public var organisationCode: String
    /// The vocabulary of `Access.AuditAction` (`view-case`, `search`, `sign-in`, ...).
    public var action: String
    public var caseId: Int64?
    public var transferId: String?
    public var address: String?
    /// `ok`, `denied`, `failed`, `not-found`, `locked`.
    public var outcome: String
    /// A count or a code (`42 results`, `roles admin,practitioner`), never a name.
    public var detail: String?
    public var requestId: String?

    public init(
        id: Int64? = nil, at: String, actor: String, accountId: Int64?, organisationCode: String, action: String,
        caseId: Int64? = nil, transferId: String? = nil, address: String?, outcome: String, detail: String? = nil,
        requestId: String? = nil
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.accountId = accountId
        self.organisationCode = organisationCode
        self.action = action
        self.caseId = caseId
        self.transferId = transferId
        self.address = address
        self.outcome = outcome
        self.detail = detail
        self.requestId = requestId
    }
}

/// Filters for reading the audit trail; every filter is optional.
public struct AuditQuery: Sendable, Hashable {
    /// Events at or after this instant (ISO 8601 date or date-time).
    public var since: String?
    public var actor: String?
    public var caseId: Int64?
    /// Only events of this organisation (an auditor sees their own).
    public var organisation: String?
    public var limit: Int

    public init(since: String? = nil, actor: String? = nil, caseId: Int64? = nil, organisation: String? = nil, limit: Int = 10_000) {
        self.since = since
        self.actor = actor
        self.caseId = caseId
        self.organisation = organisation
        self.limit = limit
    }
}

/// The append-only audit trail.
public protocol AuditTrail: Sendable {
    func append(_ event: AuditEvent) async throws
    /// Matching events, oldest first.
    func auditEvents(_ query: AuditQuery) async throws -> [AuditEvent]
}
