/// What a user may be: roles combine (an administrator who also reads cases has both).
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Reads the cases of their organisation.
    case practitioner
    /// YOT or PDU administrator: reads cases, sends and receives transfers, manages their organisation's users.
    case admin
    /// Reads the audit trail of their organisation.
    case auditor
    /// Manages organisations and the users of any organisation.
    case hubAdmin = "hub-admin"

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a comma- or space-separated role list; nil names the first unknown role.
    public static func parseList(_ text: String) -> Result<Set<Role>, AccessError> {
        var roles = Set<Role>()
        for name in text.split(whereSeparator: { $0 == "," || $0 == " " }) where !name.isEmpty {
            guard let role = Role(rawValue: String(name)) else {
                return .failure(AccessError(code: "ACCESS-ROLE", message: "unknown role '\(name)'; roles are practitioner, admin, auditor, hub-admin"))
            }
            roles.insert(role)
        }
        return .success(roles)
    }
}

/// A failure of the accounts layer (unknown organisation, weak password, ...): a stable code
/// and a message that says what to do. Never carries a password or a document value.
public struct AccessError: Error, Sendable, CustomStringConvertible, Equatable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
