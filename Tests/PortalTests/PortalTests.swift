import CaseRecord
import CaseStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Gateway
import Hummingbird
import Portal
import TestSupport
import Testing

/// The Y2A portal: pages, routes, escaping, and what a person sees in a real browser.
@Suite("Portal", .serialized)
struct PortalTests {
    static func record(_ name: String) throws -> CaseRecord {
        try #require(try Fixtures.process(file: Fixtures.sample(name), convert: true).caseRecord)
    }

    /// A store holding every valid sample.
    static func store() throws -> CaseStore {
        let store = try CaseStore()
        for name in Fixtures.validSampleNames {
            let record = try record(name)
            _ = try store.store(record, sourceXML: try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(name))), sourceName: name)
        }
        return store
    }

    @Test("an Asset case and an AssetPlus case show the same sections in the same order")
    func sameLayout() throws {
        func headings(_ html: String) -> [String] {
            html.matches(of: /<h2[^>]*>([^<]+)<\/h2>/).map { String($0.output.1) }
        }
        let asset = CasePage(record: try Self.record("valid/asset-transfer-to-adult.xml")).render()
        let assetPlus = CasePage(record: try Self.record("valid/assetplus-transfer-to-probation.xml")).render()
        #expect(headings(asset) == headings(assetPlus))
        #expect(headings(asset).starts(with: ["Young person", "Risk summary", "Needs", "Offences and episodes", "Plan", "Youth to adult transition"]))
        #expect(asset.contains(">File name</th>") && asset.contains(">Asset.XML<"))
        #expect(assetPlus.contains(">AssetPlus.XML<"))
    }

    @Test("every value is escaped")
    func escaping() throws {
        var record = try Self.record("valid/contract-example-assetplus.xml")
        record.person.familyName = "<script>alert(1)</script>"
        record.offences[0].description = "\"><img src=x onerror=alert(2)>"
        let html = CasePage(record: record).render()
        #expect(!html.contains("<script>alert"))
        #expect(!html.contains("<img src=x"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        let list = CaseListPage(cases: [], query: .init(text: "\"><b>x")).render()
        #expect(!list.contains("\"><b>x"))
    }

    @Test("pages load nothing from elsewhere")
    func selfContained() throws {
        let html = CasePage(record: try Self.record("valid/asset-core-profile.xml")).render()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test("a case that came with a NOCO shows its receiver actions, gaps and a link to it")
    func nocoSection() throws {
        let xml = try Fixtures.contractExample("noco.md")
        let noco = try #require(ReceivedNOCO(xml: Data(xml.utf8), link: "/cases/1/documents/1"))
        #expect(noco.receiverActions == ["Complete RSR and CAS outside the portal"])
        #expect(noco.gaps.map(\.field) == ["YOGRS"])
        let html = CasePage(record: try Self.record("valid/contract-example-asset.xml"), noco: noco,
                            packageFiles: [("NOCO.xml", "application/xml", String(repeating: "0", count: 64), "/cases/1/documents/1")]).render()
        #expect(html.contains("<h2 id=\"noco\">NOCO</h2>"))
        #expect(html.contains("<td>Complete RSR and CAS outside the portal</td>"))
        #expect(html.contains("<a href=\"/cases/1/documents/1\">NOCO.xml</a>"))
        // Without a NOCO there is no NOCO section.
        #expect(!CasePage(record: try Self.record("valid/contract-example-asset.xml")).render().contains("id=\"noco\""))
        #expect(ReceivedNOCO(xml: Data("<!DOCTYPE NOCO><NOCO/>".utf8), link: "x") == nil)
    }

    @Test("the NOCO section gives the age on the assessment date, and says so when the NOCO took it on another")
    func nocoAge() throws {
        let record = try Self.record("valid/contract-example-asset.xml")  // born 1996-10-01, assessed 2014-09-10
        let xml = try Fixtures.contractExample("noco.md")
        let noco = try #require(ReceivedNOCO(xml: Data(xml.utf8), link: "/cases/1/documents/1"))
        #expect(noco.statedAge == 17)
        let html = CasePage(record: record, noco: noco).render()
        #expect(html.contains("<dt>Age on transfer</dt><dd>17 on the assessment date 2014-09-10</dd>"))
        // A NOCO from a sender that took the age on GeneratedAt (2016-05-02): 19.
        let older = xml.replacingOccurrences(of: "<AgeOnTransfer>17</AgeOnTransfer>", with: "<AgeOnTransfer>19</AgeOnTransfer>")
        let olderNOCO = try #require(ReceivedNOCO(xml: Data(older.utf8), link: "/cases/1/documents/1"))
        #expect(CasePage(record: record, noco: olderNOCO).render()
            .contains("<dd>17 on the assessment date 2014-09-10 (the NOCO says 19, taken on another date)</dd>"))
    }

    // MARK: HTTP

    /// Runs the server on a free loopback port for the duration of `body`.
    static func withServer(_ store: CaseStore, _ body: @escaping @Sendable (URL) async throws -> Void) async throws {
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let app = PortalServer.application(store: store, port: 0) { port in portContinuation.yield(port) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = portStream.makeAsyncIterator()
            let port = try #require(await iterator.next())
            defer { group.cancelAll() }
            try await body(URL(string: "http://127.0.0.1:\(port)")!)
        }
    }

    static func get(_ url: URL) async throws -> (Int, String, [AnyHashable: Any]) {
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = response as! HTTPURLResponse
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.allHeaderFields)
    }

    @Test("routes: list, search, filters, case page, source download, JSON, not found")
    func routes() async throws {
        let store = try Self.store()
        let assetCase = try #require(try store.cases(.init(framework: .asset)).first)
        let source = try #require(try store.sourceDocument(caseId: assetCase.id))
        try await Self.withServer(store) { base in
            let (status, list, headers) = try await Self.get(base.appendingPathComponent("/"))
            #expect(status == 200)
            #expect(list.contains("24 cases"))
            #expect((headers["Content-Security-Policy"] as? String)?.contains("default-src 'none'") == true)

            let (_, search, _) = try await Self.get(URL(string: "\(base)/?q=\(assetCase.familyName)")!)
            #expect(search.contains("/cases/\(assetCase.id)\""))
            let (_, filtered, _) = try await Self.get(URL(string: "\(base)/?framework=Asset")!)
            #expect(!filtered.contains(">AssetPlus</td>"))
            let (_, awaiting, _) = try await Self.get(URL(string: "\(base)/?status=awaiting")!)
            #expect(awaiting.contains(">awaiting</td>"))
            #expect(!awaiting.contains("<td>—</td><td>20"))

            let (pageStatus, page, _) = try await Self.get(URL(string: "\(base)/cases/\(assetCase.id)")!)
            #expect(pageStatus == 200)
            #expect(page.contains("href=\"/cases/\(assetCase.id)/source\">Asset.XML</a>"))

            let (data, response) = try await URLSession.shared.data(from: URL(string: "\(base)/cases/\(assetCase.id)/source")!)
            #expect(data == source.bytes)  // byte for byte
            #expect((response as! HTTPURLResponse).value(forHTTPHeaderField: "Content-Disposition")?.contains("Asset.XML") == true)

            let (jsonStatus, json, _) = try await Self.get(URL(string: "\(base)/cases/\(assetCase.id)/case.json")!)
            #expect(jsonStatus == 200)
            #expect(try CaseRecord.decode(Data(json.utf8)).source.fileName == "Asset.XML")

            #expect(try await Self.get(URL(string: "\(base)/cases/999999")!).0 == 404)
            #expect(try await Self.get(URL(string: "\(base)/cases/abc")!).0 == 400)
        }
    }

    // MARK: A real browser

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func browser(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Scripts/test installs Chromium (apt `chromium`); without it this test cannot run.
    @Test("in Chromium, a person sees the name, the risk summary and the File name column", .enabled(if: chromium != nil))
    func browserView() async throws {
        let store = try Self.store()
        let assetPlusCase = try #require(try store.cases(.init(text: "Thistlewood")).first)
        let artefacts = Fixtures.root.appendingPathComponent(".build/test-artefacts")
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        try await Self.withServer(store) { base in
            let url = "\(base)/cases/\(assetPlusCase.id)"
            let dom = try Self.browser(["--dump-dom", url])
            #expect(dom.contains("Kieran Jack Thistlewood"))
            #expect(dom.contains("Risk summary"))
            #expect(dom.contains("<th scope=\"col\">File name</th>"))
            #expect(dom.contains(">AssetPlus.XML</a>"))
            let shot = artefacts.appendingPathComponent("case-page.png")
            try? FileManager.default.removeItem(at: shot)
            _ = try Self.browser(["--window-size=1280,2000", "--screenshot=\(shot.path)", url])
            let size = (try? FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? Int) ?? 0
            #expect(size > 10_000, "no screenshot was taken")
        }
    }
}
