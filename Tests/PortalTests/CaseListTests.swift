import Access
import CaseStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Portal
import TestSupport
import Testing

/// The case list: search as people type it, true totals, pages, sorting.
@Suite("Case list")
struct CaseListTests {
    static func ids(_ html: String) -> [String] {
        html.matches(of: /<tr><td><a href="\/cases\/(\d+)">/).map { String($0.output.1) }
    }

    @Test("a two-word name in either order, with + or %20, finds the case; % and _ are literal")
    func nameSearch() async throws {
        let harness = try await PortalHarness()
        try await harness.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "nina")
            for query in ["Kieran+Jack", "Kieran%20Jack", "Thistlewood+Kieran", "jack+thistle", "Kieran+Jack+Thistlewood"] {
                let body = String(buffer: try await browser.get(client, "/?q=\(query)").body)
                #expect(body.contains("Thistlewood, Kieran Jack"), "\(query)")
                #expect(!body.contains(">0 cases<"), "\(query)")
            }
            for query in ["%25", "_", "Kieran+Zebedee", "Thistle%25wood"] {
                let body = String(buffer: try await browser.get(client, "/?q=\(query)").body)
                #expect(body.contains(">0 cases<"), "\(query) matched something")
            }
        }
        let scope = OrganisationScope(["N07"])
        #expect(try await harness.store.casePage(.init(text: "%"), scope: scope).total == 0)
        let all = try await harness.store.casePage(.init(), scope: scope).total
        #expect(try await harness.store.casePage(.init(text: "   "), scope: scope).total == all)
    }

    @Test("PNC, person id and date of birth each find a case")
    func otherKeys() throws {
        let store = try CaseStore()
        let record = try PortalHarness.record("valid/assetplus-transfer-to-probation.xml")
        _ = try store.store(record, sourceXML: Data("<x/>".utf8), sourceName: "x.xml", holders: ["N07"])
        let scope = OrganisationScope(["N07"])
        if let pnc = record.person.pnc { #expect(try store.casePage(.init(text: pnc), scope: scope).total == 1) }
        if let id = record.person.id { #expect(try store.casePage(.init(text: id), scope: scope).total == 1) }
        #expect(try store.casePage(.init(dateOfBirth: record.person.dateOfBirth), scope: scope).total == 1)
        #expect(try store.casePage(.init(dateOfBirth: "1900-01-01"), scope: scope).total == 0)
        #expect(try store.casePage(.init(), scope: OrganisationScope(["B23"])).total == 0)
    }

    @Test("600 cases: the true total, 50 a page, next/previous keep the filters, every case exactly once")
    func pagination() async throws {
        let harness = try await PortalHarness(samples: false)
        let stored = try await harness.addCases(600, organisation: "N07", family: "Pagewell", given: "Robin Lee")
        try await harness.addCases(5, organisation: "N07", family: "Otherby")
        try await harness.app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, "nina")
            var seen: [String] = []
            var next: String? = "/?q=Robin+Lee&sort=name&dir=asc"
            var pages = 0
            while let uri = next {
                let body = String(buffer: try await browser.get(client, uri).body)
                pages += 1
                if pages == 1 { #expect(body.contains("600 cases; showing 1–50, page 1 of 12")) }
                let rows = Self.ids(body)
                #expect(rows.count == 50)
                seen += rows
                next = body.firstMatch(of: /rel="next" href="([^"]+)"/).map { String($0.output.1).replacingOccurrences(of: "&amp;", with: "&") }
                if let next { #expect(next.contains("q=Robin%20Lee") && next.contains("sort=name") && next.contains("dir=asc")) }
                if pages > 1 { #expect(body.contains("rel=\"prev\"")) }
            }
            #expect(pages == 12)
            #expect(Set(seen) == Set(stored.map(String.init)))
            #expect(seen.count == 600)
        }
    }

    @Test("sorting by name, assessed date, stage and transfer status is stable across pages", arguments: TestStores.engines)
    func sorting(engine: StoreKind) async throws {
        let store = try await TestStores.open(engine)
        let harness = (store: store, scope: OrganisationScope(["N07"]))
        let template = try PortalHarness.record("valid/contract-example-assetplus.xml")
        for index in 0..<120 {
            var record = template
            record.person.familyName = ["Ash", "Birch", "Cedar"][index % 3]
            record.person.givenNames = "Same"
            record.assessment.assessedOn = "2024-01-0\(1 + index % 2)"
            record.source.sha256 = String(format: "%064d", index)
            _ = try await store.store(record, sourceXML: Data(), sourceName: "s.xml", now: Date(), holders: ["N07"])
        }
        for sort in CaseSort.allCases {
            for descending in [false, true] {
                var ids: [Int64] = []
                for page in 1...3 {
                    ids += try await harness.store.casePage(.init(sort: sort, descending: descending, page: page, pageSize: 50), scope: harness.scope).cases.map(\.id)
                }
                #expect(ids.count == 120 && Set(ids).count == 120, "\(sort) \(descending)")
                var again: [Int64] = []
                for page in 1...3 {
                    again += try await harness.store.casePage(.init(sort: sort, descending: descending, page: page, pageSize: 50), scope: harness.scope).cases.map(\.id)
                }
                #expect(ids == again)
            }
        }
        let byName = try await store.casePage(.init(sort: .name, descending: false, pageSize: 120), scope: harness.scope).cases.map(\.familyName)
        #expect(byName == byName.sorted())
        let html = CaseListPage(result: try await store.casePage(.init(sort: .name, descending: false), scope: harness.scope), query: .init(sort: .name, descending: false)).render()
        #expect(html.contains("aria-sort=\"ascending\"><a href=\"/?sort=name&amp;dir=desc\">Name ▲</a>"))
    }
}
