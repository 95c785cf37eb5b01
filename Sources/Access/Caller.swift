public import CaseStore
public import Foundation

/// Who is acting, for which organisation, with which roles, from where. Built once per request
/// by the front door (the portal's session cookie) or by the command line (an operator of the
/// organisation the command names), so the library has no unauthenticated path.
public struct Caller: Sendable, Hashable {
    /// The user name, or `operator`/`system` for the command line and the batch.
    public var who: String
    public var accountId: Int64?
    public var organisation: String
    public var roles: Set<Role>
    /// The client address (the socket's, or X-Forwarded-For from the trusted proxy).
    public var address: String?
    public var requestId: String

    public init(who: String, accountId: Int64?, organisation: String, roles: Set<Role>, address: String?, requestId: String = UUID().uuidString) {
        self.who = who
        self.accountId = accountId
        self.organisation = organisation
        self.roles = roles
        self.address = address
        self.requestId = requestId
    }

    /// Someone at the command line of this machine, acting for `organisation` with every role.
    public static func commandLine(organisation: String, who: String = "operator") -> Caller {
        Caller(who: who, accountId: nil, organisation: organisation, roles: Set(Role.allCases), address: "local", requestId: UUID().uuidString)
    }

    /// The cases this caller may see: those its organisation holds.
    public var scope: OrganisationScope { OrganisationScope([organisation]) }
}
