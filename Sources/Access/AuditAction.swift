public import CaseStore
public import Foundation

/// The audit trail's vocabulary: what was done.
public enum AuditAction: String, Sendable, CaseIterable {
    case listCases = "list-cases"
    case search
    case viewCase = "view-case"
    case viewCaseJSON = "view-case-json"
    case downloadSource = "download-source"
    case downloadDocument = "download-document"
    case signIn = "sign-in"
    case signInFailed = "sign-in-failed"
    case secondFactorFailed = "second-factor-failed"
    case lockout
    case signOut = "sign-out"
    case sessionExpired = "session-expired"
    case userAdded = "user-added"
    case userDisabled = "user-disabled"
    case rolesChanged = "roles-changed"
    case passwordReset = "password-reset"
    case secondFactorEnrolled = "second-factor-enrolled"
    case organisationAdded = "organisation-added"
    case organisationChanged = "organisation-changed"
    case viewAudit = "view-audit"
    case exportAudit = "export-audit"
    case importCases = "import"
    case transferPrepare = "transfer-prepare"
    case transferSend = "transfer-send"
    case transferResend = "transfer-resend"
    case transferReceive = "transfer-receive"
    case listTransfers = "list-transfers"
    case viewTransfer = "view-transfer"
    case upload
    case storeUpload = "store"
    case tokenAdded = "token-added"
    case tokenRevoked = "token-revoked"
    /// A call of the HTTP API: the detail is the method, the route template and the status.
    case apiCall = "api-call"
    case denied
}

/// How it ended.
public enum AuditOutcome: String, Sendable {
    case ok, denied, failed, locked
    case notFound = "not-found"
}

extension AuditEvent {
    /// An event for `caller` now. `detail` is a count or a code, never a name or a search term.
    public init(
        _ caller: Caller, _ action: AuditAction, _ outcome: AuditOutcome = .ok, caseId: Int64? = nil,
        transferId: String? = nil, detail: String? = nil, at: Date = Date()
    ) {
        self.init(
            at: AuditClock.format(at), actor: caller.who, accountId: caller.accountId, organisationCode: caller.organisation,
            action: action.rawValue, caseId: caseId, transferId: transferId, address: caller.address,
            outcome: outcome.rawValue, detail: detail, requestId: caller.requestId)
    }
}

/// The audit trail's time format: ISO 8601, UTC, whole seconds (sorts as text).
public enum AuditClock {
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
