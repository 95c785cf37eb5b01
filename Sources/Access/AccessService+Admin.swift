public import CaseStore
import Foundation

/// Organisation and user management: each action asks `Policy` first and is audited.
extension AccessService {
    func require(_ caller: Caller, _ action: Action, _ resource: Resource = .none) async throws {
        guard Policy.may(caller, action, resource) else {
            try await audit.append(AuditEvent(caller, .denied, .denied, detail: action.rawValue, at: now))
            throw AccessError(code: "ACCESS-DENIED", message: "your roles do not allow this (\(action.rawValue))")
        }
    }

    /// Organisation codes: 1 to 8 letters and digits (YOT and PDU codes such as B23, N07).
    static func checkCode(_ code: String) throws {
        guard (1...8).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw AccessError(code: "ORG-CODE", message: "an organisation code is 1 to 8 letters and digits, such as N07")
        }
    }

    /// User names: 1 to 64 of letters, digits, `.`, `-`, `_`, `@`.
    static func checkName(_ name: String) throws {
        guard (1...64).contains(name.count), name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_@".contains($0)) }) else {
            throw AccessError(code: "USER-NAME", message: "a user name is 1 to 64 letters, digits, '.', '-', '_' or '@'")
        }
    }

    public func addOrganisation(by caller: Caller, code: String, name: String, kind: String, requiresTOTP: Bool = false) async throws -> OrganisationRecord {
        try await require(caller, .manageOrganisations)
        try Self.checkCode(code)
        guard ["yot", "probation", "hub"].contains(kind) else {
            throw AccessError(code: "ORG-KIND", message: "an organisation's kind is yot, probation or hub")
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...120).contains(trimmed.count) else { throw AccessError(code: "ORG-NAME", message: "an organisation needs a name of 1 to 120 characters") }
        let record = OrganisationRecord(code: code, name: trimmed, kind: kind, requiresTOTP: requiresTOTP, createdAt: AuditClock.format(now))
        try await accounts.addOrganisation(record)
        try await audit.append(AuditEvent(caller, .organisationAdded, detail: "\(code) \(kind)\(requiresTOTP ? " totp" : "")", at: now))
        return record
    }

    public func setRequiresTOTP(by caller: Caller, organisation code: String, _ required: Bool) async throws {
        try await require(caller, .manageOrganisations)
        try await accounts.setRequiresTOTP(organisation: code, required)
        try await audit.append(AuditEvent(caller, .organisationChanged, detail: "\(code) totp \(required ? "required" : "optional")", at: now))
    }

    public func organisations(by caller: Caller) async throws -> [OrganisationRecord] {
        if Policy.may(caller, .manageOrganisations) { return try await accounts.organisations() }
        return try await accounts.organisation(code: caller.organisation).map { [$0] } ?? []
    }

    public func addUser(by caller: Caller, name: String, organisation: String, roles: Set<Role>, password: String) async throws -> AccountRecord {
        try await require(caller, .manageUsers, .roles(roles, organisation: organisation))
        try Self.checkName(name)
        if let problem = PasswordHasher.check(password) { throw problem }
        let hash = try await hasher.hash(password)
        let account = try await accounts.addAccount(
            name: name, organisation: organisation, roles: roles.map(\.rawValue), passwordHash: hash, at: AuditClock.format(now))
        try await audit.append(AuditEvent(caller, .userAdded, detail: "user \(account.id) roles \(Self.roleList(roles))", at: now))
        return account
    }

    /// The users `caller` may manage: of every organisation for a hub administrator, else of their own.
    public func users(by caller: Caller) async throws -> [AccountRecord] {
        try await require(caller, .manageUsers)
        return try await accounts.accounts(organisation: caller.roles.contains(.hubAdmin) ? nil : caller.organisation)
    }

    /// A user that `caller` may manage, or `USER-UNKNOWN` (the same for one of another organisation).
    public func managedUser(by caller: Caller, id: Int64) async throws -> AccountRecord {
        guard let account = try await accounts.account(id: id), Policy.may(caller, .manageUsers, .organisation(account.organisationCode)) else {
            throw AccessError(code: "USER-UNKNOWN", message: "no such user")
        }
        return account
    }

    /// A user by name that `caller` may manage.
    public func managedUser(by caller: Caller, name: String) async throws -> AccountRecord {
        guard let account = try await accounts.account(name: name), Policy.may(caller, .manageUsers, .organisation(account.organisationCode)) else {
            throw AccessError(code: "USER-UNKNOWN", message: "no user of that name that you may manage")
        }
        return account
    }

    public func setRoles(by caller: Caller, id: Int64, roles: Set<Role>) async throws {
        let account = try await managedUser(by: caller, id: id)
        try await require(caller, .manageUsers, .roles(roles, organisation: account.organisationCode))
        if Set(account.roles).contains(Role.hubAdmin.rawValue) && !caller.roles.contains(.hubAdmin) {
            throw AccessError(code: "ACCESS-DENIED", message: "only a hub administrator changes a hub administrator's roles")
        }
        try await accounts.setRoles(account: id, roles.map(\.rawValue))
        // New roles take effect at the next request; sessions carry no roles of their own.
        try await audit.append(AuditEvent(caller, .rolesChanged, detail: "user \(id) roles \(Self.roleList(roles))", at: now))
    }

    /// Disables (or enables) a user; disabling ends their sessions at once.
    public func setDisabled(by caller: Caller, id: Int64, _ disabled: Bool) async throws {
        _ = try await managedUser(by: caller, id: id)
        try await accounts.setDisabled(account: id, disabled)
        try await audit.append(AuditEvent(caller, .userDisabled, detail: "user \(id) \(disabled ? "disabled" : "enabled")", at: now))
    }

    /// Sets a new password and ends the user's sessions.
    public func resetPassword(by caller: Caller, id: Int64, password: String) async throws {
        _ = try await managedUser(by: caller, id: id)
        if let problem = PasswordHasher.check(password) { throw problem }
        try await accounts.setPasswordHash(account: id, try await hasher.hash(password), at: AuditClock.format(now))
        try await sessions.deleteSessions(account: id)
        try await accounts.clearFailures(key: "account:" + (try await accounts.account(id: id)?.name.lowercased() ?? ""))
        try await audit.append(AuditEvent(caller, .passwordReset, detail: "user \(id)", at: now))
    }

    /// Gives a user a new TOTP secret (returned once, to hand to the user) and ends their sessions.
    public func enrolSecondFactor(by caller: Caller, id: Int64) async throws -> String {
        _ = try await managedUser(by: caller, id: id)
        let secret = SecondFactor.newSecret()
        try await accounts.setTOTPSecret(account: id, secret)
        try await sessions.deleteSessions(account: id)
        try await audit.append(AuditEvent(caller, .secondFactorEnrolled, detail: "user \(id)", at: now))
        return secret
    }

    static func roleList(_ roles: Set<Role>) -> String {
        roles.isEmpty ? "none" : roles.sorted().map(\.rawValue).joined(separator: ",")
    }
}
