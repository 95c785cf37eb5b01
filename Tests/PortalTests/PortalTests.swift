import CaseRecord
import CaseStore
import Foundation
import Gateway
import Portal
import TestSupport
import Testing

/// The Y2A portal's pages: the same layout for both frameworks, escaping, nothing from elsewhere.
@Suite("Portal pages")
struct PortalTests {
    static func record(_ name: String) throws -> CaseRecord { try PortalHarness.record(name) }

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
        let list = CaseListPage(result: .init(total: 0, cases: []), query: .init(text: "\"><b>x")).render()
        #expect(!list.contains("\"><b>x"))
    }

    @Test("pages load nothing from elsewhere")
    func selfContained() throws {
        let html = CasePage(record: try Self.record("valid/asset-core-profile.xml")).render()
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }

    @Test("the protective marking is on every printed page (fixed at the top and foot in print)")
    func printedMarking() throws {
        let html = CasePage(record: try Self.record("valid/asset-core-profile.xml")).render()
        #expect(html.contains("<div class=\"marking marking-top\" aria-hidden=\"true\">OFFICIAL-SENSITIVE</div>"))
        #expect(html.contains("<div class=\"marking marking-foot\" aria-hidden=\"true\">OFFICIAL-SENSITIVE</div>"))
        #expect(html.contains("@media print{.marking{display:block;position:fixed"))
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

    @Test("risk first: RoSH High, Yes flags, a child protection plan, MAPPA and a transfer-age warning stand out above the fold, in words as well as colour")
    func riskFirst() throws {
        var record = try Self.record("valid/assetplus-transfer-to-probation.xml")
        record.risk.riskOfSeriousHarm = "VeryHigh"
        record.risk.flags.childProtectionPlan = "Current"
        record.risk.flags.staffSafety = "Yes"
        record.risk.flags.gangAssociation = "No"
        record.risk.mappa = .init(category: "2", level: "2")
        record.diagnostics.append(.init(code: "AP-TRANSFER-AGE", severity: "warning", message: "the young person is under 17 years and 6 months", line: 3))
        let html = CasePage(record: record).render()
        let alerts = try #require(html.range(of: "id=\"risk-first\""))
        let youngPerson = try #require(html.range(of: "<h2 id=\"person\">"))
        #expect(alerts.lowerBound < youngPerson.lowerBound)
        for text in ["Risk of serious harm: Very high", "Child protection plan: Current", "Staff safety concern: Yes", "MAPPA: category 2, level 2", "Transfer age: the young person is under 17 years and 6 months"] {
            #expect(html.contains("<p class=\"alert\"><strong>⚠ RISK</strong> \(text)</p>"), "\(text)")
        }
        #expect(!html.contains("Gang association: Yes"))
        var quiet = record
        quiet.risk.riskOfSeriousHarm = "Low"
        quiet.risk.flags = .init()
        quiet.risk.mappa = .init(category: "None", level: "None")
        quiet.diagnostics = []
        #expect(CasePage.riskAlerts(quiet).isEmpty)
        #expect(CasePage(record: quiet).render().contains("No high risk of serious harm, flag, MAPPA or transfer-age warning recorded."))
    }

    @Test("codes are shown as words; a column with no value is hidden")
    func wordsAndColumns() throws {
        let record = try Self.record("valid/assetplus-transfer-to-probation.xml")
        let html = CasePage(record: record).render()
        #expect(record.assessment.status == "CompletedAwaitingTransfer")
        #expect(html.contains("Transfer to probation · Completed – awaiting transfer · assessed"))
        // AssetPlus has no Asset score or Asset evidence: those columns are not shown.
        #expect(!html.contains("<th scope=\"col\">Asset score</th>"))
        #expect(!html.contains("<th scope=\"col\">Asset evidence</th>"))
        var asset = try Self.record("valid/asset-transfer-to-adult.xml")
        #expect(CasePage(record: asset).render().contains("<th scope=\"col\">Asset score</th>"))
        asset.needs[0].assetEvidence = "Section text from the Asset form"
        let withEvidence = CasePage(record: asset).render()
        #expect(withEvidence.contains("<th scope=\"col\">Asset evidence</th>") && withEvidence.contains("<td>Section text from the Asset form</td>"))
    }
}
