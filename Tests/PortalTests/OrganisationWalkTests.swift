import Access
import CaseStore
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Portal
import TestSupport
import Testing

/// Organisation boundaries on every route: users of N07 walk the router's own list of routes
/// against B23's ids. A route added later is walked without anyone editing this test.
@Suite("Organisation boundaries")
struct OrganisationWalkTests {
    @Test("every route, as N07 users with each set of roles, against B23's case, document and user: 404 or 403, and no B23 data in any page", arguments: TestStores.engines)
    func walkEveryRoute(engine: StoreKind) async throws {
        let harness = try await PortalHarness(engine: engine)
        let b23Cases = try await harness.addCases(3, organisation: "B23", family: "Zedwardson", document: NewCaseDocument(
            fileName: "NOCO.xml", mediaType: "application/xml", sha256: String(repeating: "a", count: 64),
            bytes: Data("<NOCO/>".utf8), transferId: "T-1", isNOCO: true))
        let documentId = try #require(try await harness.store.caseDocuments(caseId: b23Cases[0]).first?.id)
        let bramwell = try await harness.access.addUser(
            by: .commandLine(organisation: "B23"), name: "bramwell", organisation: "B23", roles: [.practitioner], password: PortalHarness.password)
        // B23 leaves traces in the audit trail too.
        try await harness.store.append(AuditEvent(Caller(who: "bramwell", accountId: bramwell.id, organisation: "B23", roles: [.practitioner], address: "10.9.9.9"), .viewCase, caseId: b23Cases[0]))
        let n07Total = try await harness.store.casePage(.init(), scope: OrganisationScope(["N07"])).total
        // B23 sent a package to C41 (not N07), and decided one C41 sent it.
        let (b23Sent, b23Received) = try await TransferRecords.addB23Transfers(harness.store)

        let routes = PortalServer.router(store: harness.store, access: harness.access).routes.map { Route(method: $0.method, path: $0.path.description) }
        #expect(routes.count >= 21)
        #expect(routes.contains { $0.path == "/transfers/{transfer}" } && routes.contains { $0.path == "/uploads/{upload}/store" })
        // The sending routes (prepare, preview, send, re-send) are walked too.
        for path in ["/cases/{id}/transfer", "/cases/{id}/transfer/preview", "/transfers/{transfer}/resend"] {
            #expect(routes.contains { $0.path == path && $0.method == .post }, "\(path)")
        }
        let markers = ["Zedwardson", "bramwell", "Brookfield", "10.9.9.9"]
        // The audit trail lists the caller's own attempts on B23's TransferIds, as typed.
        let transferMarkers = [b23Sent, b23Received]
        try await harness.app.test(.router) { client in
            // B23's administrator has a checked upload waiting to be stored.
            var bob = Browser()
            _ = try await bob.signIn(client, "bob")
            let uploaded = String(buffer: try await bob.upload(client, [("AssetPlus.XML", try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample("valid/contract-example-assetplus.xml"))))]).body)
            let b23Upload = try #require(uploaded.firstMatch(of: /action="\/uploads\/([A-Za-z0-9_-]+)\/store"/).map { String($0.output.1) })
            for user in ["alice", "nina", "nobody"] {
                var browser = Browser()
                #expect(try await browser.signIn(client, user).status == .seeOther)
                for route in routes where "\(route.method) \(route.path)" != "POST /sign-out" {
                    let template = route.path.description
                    let path = template
                        .replacingOccurrences(of: "{document}", with: String(documentId))
                        .replacingOccurrences(of: "{code}", with: "B23")
                        .replacingOccurrences(of: "{transfer}", with: b23Sent)
                        .replacingOccurrences(of: "{upload}", with: b23Upload)
                        .replacingOccurrences(of: "{id}", with: String(template.hasPrefix("/admin/users") ? bramwell.id : b23Cases[0]))
                    let response: TestResponse
                    if route.method == .post {
                        response = try await browser.post(client, path, [
                            "name": "intruder", "password": PortalHarness.password, "organisation": "B23", "role-practitioner": "1",
                            "disabled": "1", "required": "1", "code": "123456",
                            "kind": "YouthToAdult", "to": "N07", "do": "send", "yogrs": "40",
                        ])
                    } else {
                        response = try await browser.get(client, path)
                    }
                    let body = String(buffer: response.body)
                    let label = "\(user): \(route.method) \(path)"
                    if template.contains("{") {
                        #expect([.notFound, .forbidden].contains(response.status), "\(label) answered \(response.status.code)")
                        // With the roles for it, another organisation's thing is simply not there.
                        if user == "alice" && !template.hasPrefix("/admin/orgs") {
                            #expect(response.status == .notFound, "\(label) answered \(response.status.code)")
                        }
                    } else {
                        #expect([.ok, .seeOther, .forbidden, .badRequest].contains(response.status), "\(label) answered \(response.status.code)")
                    }
                    for marker in markers + (template.hasPrefix("/audit") ? [] : transferMarkers) {
                        #expect(!body.contains(marker), "\(label) shows \(marker)")
                    }
                }
                // A package B23 received is not there either.
                let received = try await browser.get(client, "/transfers/\(b23Received)")
                // (The walk's own POST /sign-in has made "nobody" the intruder, a practitioner, by now.)
                #expect([.notFound, .forbidden].contains(received.status))
                if user == "alice" { #expect(received.status == .notFound) }
                for marker in markers + transferMarkers { #expect(!String(buffer: received.body).contains(marker)) }
                // Counts and searches see N07's cases only.
                let list = String(buffer: try await browser.get(client, "/").body)
                if user != "nobody" {
                    #expect(list.contains("\(n07Total) cases"))
                    #expect(String(buffer: try await browser.get(client, "/?q=Zedwardson").body).contains("0 cases"))
                }
            }
        }
        // Nothing of B23 changed.
        let after = try #require(try await harness.store.account(id: bramwell.id))
        #expect(!after.disabled && after.roles == ["practitioner"] && after.totpSecret == nil)
        // An admin's new user joins the admin's own organisation, whatever the form says.
        #expect(try await harness.store.account(name: "intruder")?.organisationCode != "B23")
        #expect(try await harness.store.organisation(code: "B23")?.requiresTOTP == false)
        // No transfer was prepared or sent from B23's case, and B23's stays as it was.
        #expect(try await harness.store.transfers().map(\.transferId) == [b23Sent])
        #expect(try await harness.store.transfer(b23Sent)?.status == "awaiting")
        // B23's upload was not stored by anyone of N07.
        #expect(try await harness.store.casePage(.init(), scope: OrganisationScope(["N07"])).total == n07Total)
    }
}
