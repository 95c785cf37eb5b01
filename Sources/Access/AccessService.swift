public import CaseStore
public import Foundation

/// A signed-in browser: who, and the token its forms must carry.
public struct AuthenticatedSession: Sendable {
    public var caller: Caller
    public var csrfToken: String
    /// The password was right but the TOTP code is still to come: only the code form is open.
    public var secondFactorPending: Bool
}

/// What a sign-in attempt gave.
public enum SignInResult: Sendable, Equatable {
    /// Signed in: a new session id (set it as the cookie; any earlier one is gone).
    case signedIn(sessionId: String)
    /// Password right; the organisation requires a TOTP code next, in this half-open session.
    case secondFactorNeeded(sessionId: String)
    /// The organisation requires a second factor and this user has none yet.
    case secondFactorNotEnrolled
    /// Wrong name or password (the message never says which).
    case failed
    /// Too many failures: locked until then.
    case locked(until: Date)
}

/// Accounts, sign-in and sessions. Every decision is audited; passwords are never logged,
/// stored (only bcrypt hashes) or echoed.
public final class AccessService: Sendable {
    public let accounts: any AccountStore
    public let sessions: any SessionStore
    public let audit: any AuditTrail
    public let settings: AccessSettings
    public let hasher: PasswordHasher
    private let clock: @Sendable () -> Date
    /// Checked against when the name is unknown, so a wrong name costs what a wrong password does.
    private let decoyHash: String

    public init(
        accounts: any AccountStore, sessions: any SessionStore, audit: any AuditTrail,
        settings: AccessSettings = .init(), clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        self.accounts = accounts
        self.sessions = sessions
        self.audit = audit
        self.settings = settings
        self.hasher = PasswordHasher(cost: settings.bcryptCost)
        self.clock = clock
        self.decoyHash = try await hasher.hash(Tokens.random())
    }

    /// One store holding accounts, sessions and the audit trail.
    public convenience init(store: any Store, settings: AccessSettings = .init(), clock: @escaping @Sendable () -> Date = { Date() }) async throws {
        try await self.init(accounts: store, sessions: store, audit: store, settings: settings, clock: clock)
    }

    // MARK: Sign-in

    /// Checks a name and password from `address`, throttled per account name and per address.
    public func signIn(name: String, password: String, address: String?, requestId: String = UUID().uuidString) async throws -> SignInResult {
        let now = clock()
        let accountKey = "account:" + name.lowercased()
        let addressKey = "address:" + (address ?? "unknown")
        let account = try await accounts.account(name: name)
        let anonymous = Caller(who: account?.name ?? "unknown", accountId: account?.id, organisation: account?.organisationCode ?? "-", roles: [], address: address, requestId: requestId)
        for key in [accountKey, addressKey] {
            if let until = try await accounts.lockedUntil(key: key, now: now) {
                try await audit.append(AuditEvent(anonymous, .signInFailed, .locked, detail: key.hasPrefix("account") ? "account locked" : "address locked", at: now))
                return .locked(until: until)
            }
        }
        let valid = try await hasher.verify(password, hash: account?.passwordHash ?? decoyHash)
        guard valid, let account, !account.disabled else {
            try await audit.append(AuditEvent(anonymous, .signInFailed, .failed, detail: account?.disabled == true ? "user disabled" : nil, at: now))
            return try await failure(accountKey: accountKey, addressKey: addressKey, caller: anonymous, now: now)
        }
        try await accounts.clearFailures(key: accountKey)
        let caller = try await caller(for: account, address: address, requestId: requestId)
        let organisation = try await accounts.organisation(code: account.organisationCode)
        if organisation?.requiresTOTP == true {
            guard account.totpSecret != nil else {
                try await audit.append(AuditEvent(caller, .signInFailed, .denied, detail: "second factor not enrolled", at: now))
                return .secondFactorNotEnrolled
            }
            let id = try await newSession(account: account, pending: true, address: address, now: now)
            return .secondFactorNeeded(sessionId: id)
        }
        let id = try await newSession(account: account, pending: false, address: address, now: now)
        try await audit.append(AuditEvent(caller, .signIn, at: now))
        return .signedIn(sessionId: id)
    }

    /// The TOTP code for a half-open session; on success the session is replaced by a new one.
    public func completeSecondFactor(sessionId: String, code: String, address: String?, requestId: String = UUID().uuidString) async throws -> SignInResult {
        let now = clock()
        guard let session = try await sessions.session(idHash: Tokens.hash(sessionId)), session.secondFactorPending,
            now.timeIntervalSince(session.createdAt) < 5 * 60,
            let account = try await accounts.account(id: session.accountId), !account.disabled, let secret = account.totpSecret
        else { return .failed }
        let caller = try await caller(for: account, address: address, requestId: requestId)
        let accountKey = "account:" + account.name.lowercased()
        if let until = try await accounts.lockedUntil(key: accountKey, now: now) {
            try await sessions.deleteSession(idHash: session.idHash)
            return .locked(until: until)
        }
        guard SecondFactor.verify(code, secret: secret, at: now) else {
            try await audit.append(AuditEvent(caller, .secondFactorFailed, .failed, at: now))
            let result = try await failure(accountKey: accountKey, addressKey: "address:" + (address ?? "unknown"), caller: caller, now: now)
            if case .locked = result { try await sessions.deleteSession(idHash: session.idHash) }
            return result
        }
        try await sessions.deleteSession(idHash: session.idHash)
        try await accounts.clearFailures(key: accountKey)
        let id = try await newSession(account: account, pending: false, address: address, now: now)
        try await audit.append(AuditEvent(caller, .signIn, detail: "with second factor", at: now))
        return .signedIn(sessionId: id)
    }

    /// The session behind a cookie, if it is still good: not idle too long, not too old, its
    /// user still enabled. Each use moves the idle deadline (written at most once per
    /// `touchInterval`).
    public func authenticate(sessionId: String, address: String?, requestId: String = UUID().uuidString) async throws -> AuthenticatedSession? {
        let now = clock()
        let idHash = Tokens.hash(sessionId)
        guard let session = try await sessions.session(idHash: idHash) else { return nil }
        guard let account = try await accounts.account(id: session.accountId), !account.disabled else {
            try await sessions.deleteSession(idHash: idHash)
            return nil
        }
        let caller = try await caller(for: account, address: address, requestId: requestId)
        if now.timeIntervalSince(session.lastSeenAt) > settings.idleTimeout || now.timeIntervalSince(session.createdAt) > settings.absoluteTimeout {
            try await sessions.deleteSession(idHash: idHash)
            try await audit.append(AuditEvent(caller, .sessionExpired, at: now))
            return nil
        }
        if now.timeIntervalSince(session.lastSeenAt) >= min(settings.touchInterval, settings.idleTimeout / 4) {
            try await sessions.touchSession(idHash: idHash, at: now)
        }
        return AuthenticatedSession(caller: caller, csrfToken: session.csrfToken, secondFactorPending: session.secondFactorPending)
    }

    /// Ends a session.
    public func signOut(sessionId: String, caller: Caller) async throws {
        try await sessions.deleteSession(idHash: Tokens.hash(sessionId))
        try await audit.append(AuditEvent(caller, .signOut, at: clock()))
    }

    // MARK: Helpers

    func caller(for account: AccountRecord, address: String?, requestId: String) async throws -> Caller {
        let roles = Set(account.roles.compactMap(Role.init(rawValue:)))
        return Caller(who: account.name, accountId: account.id, organisation: account.organisationCode, roles: roles, address: address, requestId: requestId)
    }

    private func newSession(account: AccountRecord, pending: Bool, address: String?, now: Date) async throws -> String {
        let id = Tokens.random()
        try await sessions.createSession(SessionRecord(
            idHash: Tokens.hash(id), accountId: account.id, csrfToken: Tokens.random(), createdAt: now, lastSeenAt: now,
            secondFactorPending: pending, address: address))
        return id
    }

    private func failure(accountKey: String, addressKey: String, caller: Caller, now: Date) async throws -> SignInResult {
        let byAccount = try await accounts.recordFailure(
            key: accountKey, now: now, window: settings.failureWindow, limit: settings.accountFailureLimit, lockFor: settings.lockout)
        let byAddress = try await accounts.recordFailure(
            key: addressKey, now: now, window: settings.failureWindow, limit: settings.addressFailureLimit, lockFor: settings.lockout)
        if let until = byAccount ?? byAddress {
            try await audit.append(AuditEvent(caller, .lockout, .locked, detail: byAccount != nil ? "account" : "address", at: now))
            return .locked(until: until)
        }
        return .failed
    }

    var now: Date { clock() }
}
