import Access
import Foundation
public import Hummingbird
import HTTPTypes
import Logging
import NIOCore
import Synchronization

/// The portal's cookie names.
enum PortalCookies {
    static let session = "y2a_session"
    static let signIn = "y2a_signin"
}

/// The routes the router holds, for the front door's 405 answers (filled once the router is built).
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: HTTPRequest.Method, segments: [Substring])]>([])

    func set(_ list: [(HTTPRequest.Method, String)]) {
        routes.withLock { $0 = list.map { ($0.0, $0.1.split(separator: "/")) } }
    }

    /// The methods some route answers for this path (empty: no route has the path).
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            routes.filter { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { $0.hasPrefix("{") || $0.hasPrefix(":") || $0 == $1 }
            }.map(\.method)
        }
    }
}

/// Everything every request passes through, in one place: the request-target limit, the Host
/// check, 405 with Allow, HEAD as GET without a body, the client address, the session from the
/// cookie, the form body and its CSRF token, security headers on every response (errors
/// included), and error pages instead of blank answers.
/// It wraps the router's responder (rather than being router middleware, which runs after the
/// route is resolved), so a HEAD request can be answered by the GET route.
struct FrontDoor<Inner: HTTPResponder>: HTTPResponder where Inner.Context == PortalContext {
    typealias Context = PortalContext

    let inner: Inner
    let configuration: PortalConfiguration
    let access: AccessService
    let routes: RouteTable
    let logger: Logger


    var securityHeaders: HTTPFields {
        var headers: HTTPFields = [
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .xContentTypeOptions: "nosniff",
            .cacheControl: "no-store",
            HTTPField.Name("Referrer-Policy")!: "no-referrer",
            HTTPField.Name("X-Frame-Options")!: "DENY",
            HTTPField.Name("Cross-Origin-Opener-Policy")!: "same-origin",
            HTTPField.Name("Cross-Origin-Resource-Policy")!: "same-origin",
            HTTPField.Name("Permissions-Policy")!: "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ]
        if configuration.servesTLS || configuration.behindProxy {
            headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000; includeSubDomains"
        }
        return headers
    }

    func respond(to request: Request, context: PortalContext) async throws -> Response {
        var response: Response
        do {
            response = try await admit(request, context: context) { try await inner.respond(to: $0, context: $1) }
        } catch {
            response = errorResponse(error, context: context)
        }
        for field in securityHeaders { response.headers[field.name] = field.value }
        if request.method == .head { response.body = .init() }
        return response
    }

    private func admit(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        guard (request.head.path ?? "").utf8.count <= configuration.maxURILength else {
            if request.uri.path.hasPrefix(PortalServer.apiPrefix) {
                return ProblemDocument(status: .uriTooLong, code: "API-URI-TOO-LONG", title: "Address too long", detail: "The request target is longer than \(configuration.maxURILength) bytes.", requestId: ProblemDocument.requestId(request)).response()
            }
            return Pages.error(.uriTooLong, title: "Address too long", message: "The address (with its search) is longer than this portal accepts. Search with fewer words.")
        }
        guard hostAllowed(request.head.authority) else {
            return Pages.error(.misdirectedRequest, title: "Wrong address", message: "This portal answers only at its own address.")
        }
        let path = request.uri.path
        let methods = routes.methods(for: path)
        let api = path.hasPrefix(PortalServer.apiPrefix)
        guard !methods.isEmpty else {
            if api { return ProblemDocument(status: .notFound, code: "API-NOT-FOUND", title: "Not found", detail: "No API endpoint has this path (see /api/v1/openapi.yaml).", requestId: ProblemDocument.requestId(request)).response() }
            throw PortalError.notFound
        }
        var request = request
        if request.method == .head, methods.contains(.get) {
            var head = request.head
            head.method = .get
            request = Request(head: head, body: request.body)
        }
        guard methods.contains(request.method) else {
            var allowed = methods.map(\.rawValue)
            if methods.contains(.get) { allowed.append("HEAD") }
            var response = api
                ? ProblemDocument(status: .methodNotAllowed, code: "API-METHOD", title: "Method not allowed", detail: "This endpoint does not answer \(request.method.rawValue).", requestId: ProblemDocument.requestId(request)).response()
                : Pages.error(.methodNotAllowed, title: "Method not allowed", message: "This address does not answer \(request.method.rawValue).")
            response.headers[.allow] = Set(allowed).sorted().joined(separator: ", ")
            return response
        }
        var context = context
        context.clientAddress = clientAddress(request, context: context)
        // The API: a bearer token, checked by its own gate; no cookie is read, so no form needs a CSRF token.
        if api { return try await next(request, context) }
        let cookies = request.cookies
        if let id = cookies[PortalCookies.session]?.value, !id.isEmpty {
            context.sessionId = id
            context.session = try await access.authenticate(sessionId: id, address: context.clientAddress)
        }
        if request.method == .post {
            let multipart = request.headers[.contentType]?.lowercased().hasPrefix("multipart/form-data") == true
            if multipart && PortalServer.uploadPaths.contains(path) {
                // A file upload: the route streams the body to disk, and reads the CSRF token as
                // its first part before any file (UploadReceiver).
            } else {
                context.form = try await readForm(&request)
                try checkCSRF(request, context: context)
            }
        }
        return try await next(request, context)
    }

    /// Loopback without `--public-host`: loopback names only. Otherwise exactly the public host.
    func hostAllowed(_ authority: String?) -> Bool {
        guard let authority = authority?.lowercased() else { return false }
        if let publicHost = configuration.publicHost?.lowercased() {
            return authority == publicHost || authority.split(separator: ":").first.map(String.init) == publicHost
        }
        let name = authority.hasPrefix("[") ? String(authority.prefix { $0 != "]" }) + "]" : String(authority.split(separator: ":").first ?? "")
        return ["127.0.0.1", "localhost", "[::1]"].contains(name)
    }

    func clientAddress(_ request: Request, context: PortalContext) -> String? {
        guard configuration.behindProxy, let peer = context.peerAddress, configuration.trustedProxies.contains(peer),
            let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!]
        else { return context.peerAddress }
        // The proxy appends the address it saw last; anything before it came from the client.
        return forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? context.peerAddress
    }

    private func readForm(_ request: inout Request) async throws -> [String: String] {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw PortalError.badRequest("The form was not sent as a form.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: configuration.maxFormBytes)
        } catch {
            throw PortalError.badRequest("The form is larger than this portal accepts.")
        }
        return FormFields.parse(Substring(String(buffer: buffer)))
    }

    /// Every state-changing form carries a token: the session's, or (for the sign-in form,
    /// before there is a session) the one in the short-lived sign-in cookie.
    private func checkCSRF(_ request: Request, context: PortalContext) throws {
        let presented = context.form["csrf"] ?? ""
        let expected: String?
        if request.uri.path == "/sign-in" {
            expected = request.cookies[PortalCookies.signIn]?.value
        } else {
            expected = context.session?.csrfToken
        }
        guard let expected, !expected.isEmpty, Tokens.matches(presented, expected) else {
            throw PortalError.staleForm
        }
    }

    private func errorResponse(_ error: any Error, context: PortalContext) -> Response {
        switch error {
        case PortalError.signInRequired:
            return Response(status: .seeOther, headers: [.location: "/sign-in"])
        case PortalError.forbidden:
            return Pages.error(.forbidden, title: "Not allowed", message: "Your roles do not allow this page. Ask your organisation's administrator if you need it.", session: context.session)
        case PortalError.notFound:
            return Pages.notFound(session: context.session)
        case PortalError.staleForm:
            return Pages.error(.forbidden, title: "Form expired", message: "The form has expired or did not come from this portal. Go back, reload the page and try again.", session: context.session)
        case PortalError.badRequest(let message):
            return Pages.error(.badRequest, title: "Bad request", message: message, session: context.session)
        case PortalError.tooLarge(let message):
            return Pages.error(.contentTooLarge, title: "Too large", message: message, session: context.session)
        case let error as any HTTPResponseError:
            if error.status == .notFound { return Pages.notFound(session: context.session) }
            return Pages.error(error.status, title: error.status.reasonPhrase, message: "The request could not be answered (\(error.status.code)).", session: context.session)
        default:
            // Store and access errors carry codes and paths, never document values.
            logger.error("portal request failed", metadata: ["error": "\(error)"])
            return Pages.error(.internalServerError, title: "Something went wrong", message: "The portal could not answer. Try again; if it keeps failing, tell your administrator the time.", session: context.session)
        }
    }
}
