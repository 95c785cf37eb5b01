import Access
import Hummingbird
import HTTPTypes
import NIOCore

/// Responses with a page: every answer the portal gives a browser is a page, never blank.
enum Pages {
    static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func error(_ status: HTTPResponse.Status, title: String, message: String, session: AuthenticatedSession? = nil) -> Response {
        var body = HTMLBuilder()
        body.element("h1", title)
        body.element("p", message)
        body.raw("<p><a href=\"/\">Back to the start</a></p>")
        return html(PageFrame.page(title: "\(title) — Y2A Gateway", body: body.html, session: session), status: status)
    }

    /// The same page for a missing id and for another organisation's: nothing tells them apart.
    static func notFound(session: AuthenticatedSession? = nil) -> Response {
        let page = PageFrame.page(title: "Not found — Y2A Gateway", body: "<h1>Not found</h1><p><a href=\"/\">Back to the case list</a></p>", session: session)
        return html(page, status: .notFound)
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// A cookie for the session id: never readable by scripts, never sent over plain HTTP or
    /// from another site.
    static func sessionCookie(_ id: String, name: String = PortalCookies.session, maxAge: Int? = nil) -> String {
        var cookie = "\(name)=\(id); Path=/; HttpOnly; Secure; SameSite=Strict"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        return cookie
    }

    static func expiredCookie(_ name: String) -> String {
        "\(name)=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"
    }
}

/// The sign-in page, and the second-factor page that follows it when the organisation asks.
struct SignInPage {
    var csrf: String
    var message: String?
    var secondFactor = false

    func render() -> String {
        var page = HTMLBuilder()
        page.element("h1", secondFactor ? "Second factor" : "Sign in")
        if let message { page.raw("<div class=\"alert\" role=\"alert\"><strong>!</strong> \(escapeHTML(message))</div>") }
        if secondFactor {
            page.element("p", "Your organisation asks for the 6-digit code from your authenticator app.", attributes: "class=\"lede\"")
            page.raw("""
                <form class="stack" method="post" action="/sign-in/totp">
                <input type="hidden" name="csrf" value="\(escapeHTML(csrf))">
                <label for="code">Code<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required maxlength="6"></label>
                <button type="submit">Continue</button></form>
                """)
        } else {
            page.element("p", "These are children's records. Sign in with the account your organisation gave you.", attributes: "class=\"lede\"")
            page.raw("""
                <form class="stack" method="post" action="/sign-in">
                <input type="hidden" name="csrf" value="\(escapeHTML(csrf))">
                <label for="name">User name<input id="name" name="name" autocomplete="username" required maxlength="64"></label>
                <label for="password">Password<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200"></label>
                <button type="submit">Sign in</button></form>
                """)
        }
        return PageFrame.page(title: "Sign in — Y2A Gateway", body: page.html)
    }
}
