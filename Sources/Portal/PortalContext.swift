public import Access
public import Hummingbird
import NIOCore

/// The request context of the portal: the client's address, the signed-in session (set by
/// the front door from the cookie) and the fields of a submitted form.
public struct PortalContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The socket's peer address (the proxy's, when behind one).
    public var peerAddress: String?
    /// The client address used in the audit trail (X-Forwarded-For only from the trusted proxy).
    public var clientAddress: String?
    /// The signed-in session, if the cookie named a good one.
    public var session: AuthenticatedSession?
    /// The raw session id from the cookie (to end it at sign-out).
    public var sessionId: String?
    /// A submitted form's fields (POST only), after the CSRF check.
    public var form: [String: String] = [:]

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The signed-in caller, if `Policy` lets them do `action` on `resource`: otherwise a
    /// redirect to the sign-in page (nobody signed in) or a 403 page (roles refuse).
    func caller(may action: Action, _ resource: Resource = .none) throws -> Caller {
        guard let session, !session.secondFactorPending else { throw PortalError.signInRequired }
        guard Policy.may(session.caller, action, resource) else { throw PortalError.forbidden(action) }
        return session.caller
    }

    /// The signed-in caller, whatever their roles.
    func signedIn() throws -> AuthenticatedSession {
        guard let session, !session.secondFactorPending else { throw PortalError.signInRequired }
        return session
    }
}

/// Failures a route answers with a page of its own.
enum PortalError: Error {
    case signInRequired
    case forbidden(Action)
    case notFound
    case badRequest(String)
    case tooLarge(String)
    case staleForm
}
