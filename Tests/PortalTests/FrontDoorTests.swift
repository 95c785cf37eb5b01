import Access
import BuildInfo
import CaseStore
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import Portal
import TestSupport
import Testing
import XMLSupport

/// What every request passes through: headers, methods, limits, hosts, proxies.
@Suite("Portal front door")
struct FrontDoorTests {
    static let required: [String] = ["Content-Security-Policy", "X-Content-Type-Options", "Cache-Control", "Referrer-Policy", "X-Frame-Options"]

    static func hasSecurityHeaders(_ response: TestResponse) -> Bool {
        required.allSatisfy { response.headers[HTTPField.Name($0)!] != nil } && response.headers[.cacheControl] == "no-store"
    }

    @Test("security headers on every response: pages, errors, 405, 414, redirects and /health")
    func headersEverywhere() async throws {
        let harness = try await PortalHarness(samples: false)
        try await harness.app.test(.router) { client in
            var browser = Browser()
            let long = "/?q=" + String(repeating: "a", count: 5000)
            for (method, uri) in [(HTTPRequest.Method.get, "/health"), (.get, "/sign-in"), (.get, "/"), (.get, "/nowhere"), (.delete, "/"), (.get, long), (.post, "/sign-in")] {
                let response = try await client.execute(uri: uri, method: method, headers: [:], body: nil)
                #expect(Self.hasSecurityHeaders(response), "\(method) \(uri.prefix(40)) \(response.status.code)")
            }
            _ = try await browser.signIn(client, "nina")
            for uri in ["/", "/cases/424242", "/admin/users"] {
                #expect(Self.hasSecurityHeaders(try await browser.get(client, uri)), "\(uri)")
            }
        }
    }

    @Test("an unknown method answers 405 with Allow; HEAD answers like GET without a body")
    func methods() async throws {
        let harness = try await PortalHarness(samples: false)
        try await harness.app.test(.router) { client in
            let delete = try await client.execute(uri: "/health", method: .delete, headers: [:], body: nil)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, HEAD")
            #expect(String(buffer: delete.body).contains("Method not allowed"))
            let put = try await client.execute(uri: "/sign-in", method: .put, headers: [:], body: nil)
            #expect(put.headers[.allow] == "GET, HEAD, POST")
            let head = try await client.execute(uri: "/health", method: .head, headers: [:], body: nil)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(try await client.execute(uri: "/sign-in", method: .head, headers: [:], body: nil).status == .ok)
        }
    }

    @Test("a very long address answers 414 with a page")
    func longQuery() async throws {
        let harness = try await PortalHarness(samples: false)
        try await harness.app.test(.router) { client in
            let response = try await client.execute(uri: "/?q=" + String(repeating: "Thistlewood+", count: 800), method: .get, headers: [:], body: nil)
            #expect(response.status == .uriTooLong)
            #expect(String(buffer: response.body).contains("Address too long"))
        }
    }

    @Test("the Host header must be the public host (DNS rebinding)")
    func hostCheck() async throws {
        var configuration = PortalConfiguration(host: "0.0.0.0", behindProxy: true, publicHost: "y2a.example.test")
        configuration.trustedProxies = ["10.0.0.1"]
        #expect(throws: Never.self) { try configuration.check() }
        let harness = try await PortalHarness(samples: false)
        try await PortalServer.application(store: harness.store, access: harness.access, configuration: configuration).test(.router) { client in
            // The router test client sends Host: localhost.
            let response = try await client.execute(uri: "/health", method: .get, headers: [:], body: nil)
            #expect(response.status == .misdirectedRequest)
            #expect(response.headers[HTTPField.Name("Strict-Transport-Security")!] != nil)
        }
        try await harness.app.test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
        }
    }

    @Test("/health answers ok with the build: version, commit, build date, libxml2 in use")
    func healthNamesTheBuild() async throws {
        let harness = try await PortalHarness(samples: false)
        try await harness.app.test(.router) { client in
            let response = try await client.execute(uri: "/health", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let fields = try JSONDecoder().decode([String: String].self, from: Data(buffer: response.body))
            #expect(fields["status"] == "ok")
            #expect(fields["version"] == BuildInfo.current.version && !(fields["version"] ?? "").isEmpty)
            #expect(fields["commit"] == BuildInfo.current.commit)
            #expect(fields["buildDate"] == BuildInfo.current.buildDate)
            #expect(fields["libxml2"] == XMLLibrary.version)
        }
    }

    @Test("plain HTTP off loopback is refused unless a proxy is in front; TLS needs both files")
    func transportRules() {
        #expect(throws: AccessError.self) { try PortalConfiguration(host: "0.0.0.0", publicHost: "h").check() }
        #expect(throws: AccessError.self) { try PortalConfiguration(host: "0.0.0.0", behindProxy: true).check() }
        #expect(throws: AccessError.self) { try PortalConfiguration(tlsCertificate: "c.pem").check() }
        #expect(throws: Never.self) { try PortalConfiguration(host: "0.0.0.0", behindProxy: true, publicHost: "h").check() }
        #expect(throws: Never.self) { try PortalConfiguration(host: "0.0.0.0", tlsCertificate: "c", tlsKey: "k", publicHost: "h").check() }
        #expect(throws: Never.self) { try PortalConfiguration().check() }
    }

    @Test("X-Forwarded-For is believed from the trusted proxy only, and lands in the audit trail")
    func forwardedFor() async throws {
        for (trusted, expected) in [("127.0.0.1", "198.51.100.7"), ("10.0.0.1", "127.0.0.1")] {
            let harness = try await PortalHarness(configuration: .init(behindProxy: true, trustedProxies: [trusted]), samples: false)
            try await harness.app.test(.live) { client in
                let forwarded: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"]
                var browser = Browser()
                let page = try await client.execute(uri: "/sign-in", method: .get, headers: forwarded, body: nil)
                browser.absorb(page)
                var headers = browser.headers
                headers[HTTPField.Name("X-Forwarded-For")!] = "198.51.100.7"
                headers[.contentType] = "application/x-www-form-urlencoded"
                let body = "csrf=\(browser.csrf ?? "")&name=nina&password=wrong+wrong+wrong"
                #expect(try await client.execute(uri: "/sign-in", method: .post, headers: headers, body: ByteBuffer(string: body)).status == .unauthorized)
            }
            let failed = try #require(try await harness.store.auditEvents(.init()).last { $0.action == "sign-in-failed" })
            #expect(failed.address == expected, "trusted proxy \(trusted)")
        }
    }
}
