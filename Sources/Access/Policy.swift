/// Something a caller may try to do.
public enum Action: String, Sendable, CaseIterable {
    /// List, search and open cases, their source documents, package files and JSON.
    case readCases
    /// Read and export the audit trail.
    case readAudit
    /// See, add, disable users and reset their passwords and second factors.
    case manageUsers
    /// Add organisations and set whether they require a second factor.
    case manageOrganisations
    /// Prepare, send and re-send transfer packages (of the caller's organisation).
    case handleTransfers
    /// See an organisation's transfers (sent and received) and each one's history.
    case readTransfers
    /// Upload documents, check them, and store a valid one as a case of the organisation.
    case uploadCases
    /// Validate and convert documents that are not stored (the API's `/validate` and `/convert`).
    case checkDocuments
}

/// What the action is done to, when it matters who owns it.
public enum Resource: Sendable, Hashable {
    case none
    /// Something owned by an organisation (its users, its audit trail).
    case organisation(String)
    /// Giving these roles to a user of this organisation.
    case roles(Set<Role>, organisation: String)
}

/// The one place that says who may do what. Organisation boundaries on cases are not here:
/// they are in the store's queries (`OrganisationScope`), so another organisation's case is
/// never read. Every route and command asks `may` before it acts.
public enum Policy {
    public static func may(_ caller: Caller, _ action: Action, _ resource: Resource = .none) -> Bool {
        let roles = caller.roles
        switch action {
        case .readCases, .checkDocuments:
            return !roles.isDisjoint(with: [.practitioner, .admin])
        case .handleTransfers, .uploadCases:
            guard roles.contains(.admin) else { return false }
            if case .organisation(let code) = resource { return code == caller.organisation }
            return resource == .none
        case .readTransfers:
            guard !roles.isDisjoint(with: [.practitioner, .admin]) else { return false }
            if case .organisation(let code) = resource { return code == caller.organisation }
            return resource == .none
        case .readAudit:
            guard roles.contains(.auditor) else { return false }
            if case .organisation(let code) = resource { return code == caller.organisation }
            return resource == .none
        case .manageOrganisations:
            return roles.contains(.hubAdmin)
        case .manageUsers:
            switch resource {
            case .none:
                return roles.contains(.hubAdmin) || roles.contains(.admin)
            case .organisation(let code):
                return roles.contains(.hubAdmin) || (roles.contains(.admin) && code == caller.organisation)
            case .roles(let granted, let code):
                guard may(caller, .manageUsers, .organisation(code)) else { return false }
                // Only a hub administrator makes another.
                return !granted.contains(.hubAdmin) || roles.contains(.hubAdmin)
            }
        }
    }
}
