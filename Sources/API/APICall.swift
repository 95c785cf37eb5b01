import Access
import Foundation
import Synchronization

/// What the gate learnt about a call, for the generated handlers (which see only the HTTP
/// request): who is calling, the token, the request body as the gate spooled it to a private
/// file, and what the handler says the call touched (for the audit row).
final class APICall: Sendable {
    let caller: Caller
    let tokenId: Int64
    /// The request body, streamed by the gate to a 0600 file (nil for GET).
    let body: URL?
    private let subject = Mutex<(caseId: Int64?, transferId: String?, detail: String?)>((nil, nil, nil))

    init(caller: Caller, tokenId: Int64, body: URL?) {
        self.caller = caller
        self.tokenId = tokenId
        self.body = body
    }

    @TaskLocal static var current: APICall?

    /// The call, if `Policy` lets its token do `action` for its own organisation; a 403 problem otherwise.
    static func admitted(_ action: Action, _ what: String) throws -> APICall {
        guard let call = current else { throw APIProblem.missingToken }
        guard Policy.may(call.caller, action, action == .checkDocuments ? .none : .organisation(call.caller.organisation)) else {
            throw APIProblem.forbidden(what)
        }
        return call
    }

    /// The spooled body (the gate refuses an empty one before the handler runs).
    func bodyFile() throws -> URL {
        guard let body else { throw APIProblem.emptyBody }
        return body
    }

    /// Names the case or transfer the call touched, and a detail, for the audit row.
    func touched(caseId: Int64? = nil, transferId: String? = nil, detail: String? = nil) {
        subject.withLock { current in
            current = (caseId ?? current.caseId, transferId ?? current.transferId, detail ?? current.detail)
        }
    }

    var touchedSubject: (caseId: Int64?, transferId: String?, detail: String?) { subject.withLock { $0 } }
}
