import Access
import CaseRecord
import CaseStore
import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import NIOCore
import Portal
import TestSupport
import Testing

/// The portal over HTTP (Hummingbird's router test client): sign-in, routes, the front door.
@Suite("Portal routes")
struct PortalRouteTests {
    @Test("signed in: list, search, filters, case page, source download, JSON; each access audited", arguments: TestStores.engines)
    func routes(engine: StoreKind) async throws {
        let harness = try await PortalHarness(engine: engine)
        let scope = OrganisationScope(["N07"])
        let assetCase = try #require(try await harness.store.casePage(.init(framework: .asset), scope: scope).cases.first)
        let source = try #require(try await harness.store.sourceDocument(caseId: assetCase.id, scope: scope))
        try await harness.app.test(.router) { client in
            var browser = Browser()
            #expect(try await browser.signIn(client, "nina").status == .seeOther)
            #expect(browser.cookies["y2a_session"] != nil)
            let list = try await browser.get(client, "/")
            #expect(list.status == .ok)
            #expect(String(buffer: list.body).contains("24 cases"))
            let search = try await browser.get(client, "/?q=\(assetCase.familyName)")
            #expect(String(buffer: search.body).contains("/cases/\(assetCase.id)\""))
            let filtered = try await browser.get(client, "/?framework=Asset")
            #expect(!String(buffer: filtered.body).contains(">AssetPlus</td>"))
            let page = try await browser.get(client, "/cases/\(assetCase.id)")
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("href=\"/cases/\(assetCase.id)/source\">Asset.XML</a>"))
            let download = try await browser.get(client, "/cases/\(assetCase.id)/source")
            #expect(Data(buffer: download.body) == source.bytes)
            #expect(download.headers[.contentDisposition]?.contains("Asset.XML") == true)
            let json = try await browser.get(client, "/cases/\(assetCase.id)/case.json")
            #expect(try CaseRecord.decode(Data(buffer: json.body)).source.fileName == "Asset.XML")
            #expect(try await browser.get(client, "/cases/999999").status == .notFound)
            #expect(try await browser.get(client, "/cases/abc").status == .notFound)
        }
        let events = try await harness.store.auditEvents(.init(actor: "nina"))
        let actions = events.map(\.action)
        #expect(actions.contains("search") && actions.contains("view-case") && actions.contains("download-source") && actions.contains("view-case-json"))
        // A search is recorded with its count, never its words.
        let searchEvent = try #require(events.first { $0.action == "search" })
        #expect(searchEvent.detail?.hasSuffix("result") == true || searchEvent.detail?.hasSuffix("results") == true)
        #expect(!events.contains { ($0.detail ?? "").contains(assetCase.familyName) })
        #expect(events.contains { $0.action == "view-case" && $0.outcome == "not-found" && $0.caseId == 999999 })
    }

    @Test("nobody signed in: every route but sign-in and health sends the browser to the sign-in page")
    func signInRequired() async throws {
        let harness = try await PortalHarness(samples: false)
        let routes = PortalServer.router(store: harness.store, access: harness.access).routes.map { Route(method: $0.method, path: $0.path.description) }
        try await harness.app.test(.router) { client in
            for route in routes {
                let path = route.path.description.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{document}", with: "1").replacingOccurrences(of: "{code}", with: "N07")
                    .replacingOccurrences(of: "{transfer}", with: "2f77124e-30e6-4e88-811f-4962bd9e3b93")
                    .replacingOccurrences(of: "{upload}", with: "token")
                var browser = Browser()
                let response = route.method == .post ? try await browser.post(client, path, [:], csrf: "x") : try await browser.get(client, path)
                switch "\(route.method) \(route.path)" {
                case "GET /health", "GET /sign-in":
                    #expect(response.status == .ok, "\(route)")
                case "POST /sign-in":
                    #expect(response.status == .forbidden, "\(route): a sign-in without its token is refused")
                default:
                    if route.method == .get {
                        #expect(response.status == .seeOther && response.headers[.location] == "/sign-in", "\(route)")
                    } else {
                        // A form without a session has no valid token.
                        #expect(response.status == .forbidden, "\(route)")
                    }
                }
            }
        }
    }

    @Test("a form without its CSRF token changes nothing")
    func csrf() async throws {
        let harness = try await PortalHarness(samples: false)
        try await harness.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "alice")
            let refused = try await browser.post(client, "/admin/users", ["name": "mallory", "password": PortalHarness.password, "role-practitioner": "1"], csrf: "forged")
            #expect(refused.status == .forbidden)
            #expect(try await harness.store.account(name: "mallory") == nil)
            let accepted = try await browser.post(client, "/admin/users", ["name": "mallory", "password": PortalHarness.password, "role-practitioner": "1"])
            #expect(accepted.status == .ok)
            #expect(try await harness.store.account(name: "mallory")?.roles == ["practitioner"])
        }
    }

    @Test("sign-in rotates the session; sign-out ends it; the cookie is HttpOnly, Secure and SameSite=Strict", arguments: TestStores.engines)
    func sessionCookie(engine: StoreKind) async throws {
        let harness = try await PortalHarness(samples: false, engine: engine)
        try await harness.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.get(client, "/sign-in")
            let response = try await browser.post(client, "/sign-in", ["name": "nina", "password": PortalHarness.password])
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("y2a_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"))
            let first = try #require(browser.cookies["y2a_session"])
            _ = try await browser.get(client, "/")
            // Signing in again from the same browser (a sign-in form opened in another tab).
            var tab = Browser()
            _ = try await tab.get(client, "/sign-in")
            browser.cookies["y2a_signin"] = tab.cookies["y2a_signin"]
            #expect(try await browser.post(client, "/sign-in", ["name": "nina", "password": PortalHarness.password], csrf: tab.csrf).status == .seeOther)
            let second = try #require(browser.cookies["y2a_session"])
            #expect(first != second)
            var old = Browser(cookies: ["y2a_session": first])
            #expect(try await old.get(client, "/").status == .seeOther)
            _ = try await browser.get(client, "/")
            #expect(try await browser.post(client, "/sign-out", [:]).status == .seeOther)
            var after = Browser(cookies: ["y2a_session": second])
            #expect(try await after.get(client, "/").status == .seeOther)
        }
    }

    @Test("a wrong password says so without telling which; a lockout says until when", arguments: TestStores.engines)
    func signInMessages(engine: StoreKind) async throws {
        let harness = try await PortalHarness(samples: false, engine: engine)
        try await harness.app.test(.router) { client in
            var browser = Browser()
            for attempt in 1...5 {
                let response = try await browser.signIn(client, "nina", password: "wrong wrong wrong")
                let body = String(buffer: response.body)
                if attempt < 5 {
                    #expect(response.status == .unauthorized)
                    #expect(body.contains("The user name or password is not right."))
                } else {
                    #expect(response.status == .tooManyRequests)
                    #expect(body.contains("sign-in is locked until"))
                }
            }
        }
        #expect(try await harness.store.auditEvents(.init()).contains { $0.action == "lockout" })
    }
}
