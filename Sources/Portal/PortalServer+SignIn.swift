import Access
import Foundation
import Hummingbird
import HTTPTypes

extension PortalServer {
    static func addSignInRoutes(_ router: Router<PortalContext>, access: AccessService) {
        router.get("/sign-in") { _, context -> Response in
            if let session = context.session, !session.secondFactorPending { return Pages.redirect("/") }
            return signInPage(message: nil, status: .ok)
        }
        router.post("/sign-in") { _, context -> Response in
            let name = String((context.form["name"] ?? "").trimmingCharacters(in: .whitespaces).prefix(64))
            let password = context.form["password"] ?? ""
            guard !name.isEmpty, !password.isEmpty, password.utf8.count <= 200 else {
                return signInPage(message: "Give your user name and password.", status: .badRequest)
            }
            let result = try await access.signIn(name: name, password: password, address: context.clientAddress)
            return try await answer(result, context: context, access: access)
        }
        router.get("/sign-in/totp") { _, context -> Response in
            guard let session = context.session, session.secondFactorPending else { return Pages.redirect("/sign-in") }
            return Pages.html(SignInPage(csrf: session.csrfToken, secondFactor: true).render())
        }
        router.post("/sign-in/totp") { _, context -> Response in
            guard let id = context.sessionId, let session = context.session, session.secondFactorPending else { return Pages.redirect("/sign-in") }
            let result = try await access.completeSecondFactor(sessionId: id, code: context.form["code"] ?? "", address: context.clientAddress)
            if result == .failed {
                return Pages.html(SignInPage(csrf: session.csrfToken, message: "That code is not right. Try the code your app shows now.", secondFactor: true).render(), status: .unauthorized)
            }
            return try await answer(result, context: context, access: access)
        }
        router.post("/sign-out") { _, context -> Response in
            if let id = context.sessionId, let session = context.session {
                try await access.signOut(sessionId: id, caller: session.caller)
            }
            var response = Pages.redirect("/sign-in")
            response.headers[values: .setCookie].append(Pages.expiredCookie(PortalCookies.session))
            // Browsers that honour it drop anything they kept of these pages.
            response.headers[HTTPField.Name("Clear-Site-Data")!] = "\"cache\", \"storage\""
            return response
        }
    }

    /// The sign-in page with a fresh sign-in token (double-submitted: cookie and form field).
    static func signInPage(message: String?, status: HTTPResponse.Status) -> Response {
        let token = Tokens.random()
        var response = Pages.html(SignInPage(csrf: token, message: message).render(), status: status)
        response.headers[values: .setCookie].append(Pages.sessionCookie(token, name: PortalCookies.signIn, maxAge: 900))
        return response
    }

    static func answer(_ result: SignInResult, context: PortalContext, access: AccessService) async throws -> Response {
        switch result {
        case .signedIn(let id), .secondFactorNeeded(let id):
            // A new id at every sign-in: any session the browser had before ends here.
            if let old = context.sessionId { try await access.sessions.deleteSession(idHash: Tokens.hash(old)) }
            var response: Response
            if case .signedIn = result {
                response = Pages.redirect("/")
            } else {
                response = Pages.redirect("/sign-in/totp")
            }
            response.headers[values: .setCookie].append(Pages.sessionCookie(id))
            response.headers[values: .setCookie].append(Pages.expiredCookie(PortalCookies.signIn))
            return response
        case .failed:
            return signInPage(message: "The user name or password is not right.", status: .unauthorized)
        case .locked(let until):
            let time = until.formatted(.iso8601.time(includingFractionalSeconds: false))
            return signInPage(
                message: "Too many failed sign-ins: sign-in is locked until \(time) UTC. Wait, or ask your organisation's administrator to reset your password.",
                status: .tooManyRequests)
        case .secondFactorNotEnrolled:
            return signInPage(
                message: "Your organisation requires a second factor and you do not have one yet. Ask your administrator to set one up for you.",
                status: .forbidden)
        }
    }
}
