@testable import AssetPlusFormat
import Findings
import Foundation
import TestSupport
import Testing

/// The id table turns compact past 65,536 ids (issue 15, target 4); the rules must not notice.
@Suite("AssetPlus id table")
struct IdTableTests {
    typealias Info = AssetPlusDocument.IdInfo

    @Test("the compact table answers every insert and lookup as the exact one does")
    func compactAgreesWithExact() {
        var exact = AssetPlusIdTable(exactLimit: .max)
        var compact = AssetPlusIdTable(exactLimit: 3)
        var generator = SystemRandomNumberGenerator()
        // 20,000 inserts drawn from 12,000 ids: many taken twice, with every kind and flag.
        for step in 0..<20_000 {
            let id = "x\(Int.random(in: 0..<12_000, using: &generator))"
            let kind = Info.Kind(rawValue: UInt8(step % 3))!
            let info = Info(kind: kind, outstanding: step % 5 == 0, removing: kind == .offence && step % 7 == 0, line: Int32(step + 1))
            #expect(exact.insert(id, info) == compact.insert(id, info), "insert \(id)")
        }
        #expect(compact.isCompact)
        #expect(!exact.isCompact)
        #expect(compact.count == exact.count)
        for n in 0..<13_000 {
            let id = "x\(n)"
            let a = exact[id], b = compact[id]
            #expect((a == nil) == (b == nil), "lookup \(id)")
            guard let a, let b else { continue }
            #expect(a.kind == b.kind && a.outstanding == b.outstanding && a.removing == b.removing, "flags of \(id)")
            // The line is kept where a finding names it: an offence whose outcome removes it.
            if a.removing { #expect(a.line == b.line, "line of \(id)") }
        }
    }

    /// The contract's example with `count` offences on lines of their own (offence k on line 37 + k),
    /// `extra` offences after them, and `episodes` in place of its one episode.
    func document(count: Int, extra: String = "", incidents: String = "<Incidents/>", episodes: String) throws -> String {
        let example = try String(contentsOfFile: Fixtures.sample("valid/contract-example-assetplus.xml"), encoding: .utf8)
        var offences = ""
        offences.reserveCapacity(count * 120)
        for k in 1...count {
            let status = k == 68_000 ? "<Status>Historical</Status><Outcome>Withdrawn</Outcome>" : k == 69_000 ? "<Status>Outstanding</Status>" : "<Status>Historical</Status>"
            offences += #"<Offence id="o\#(k)"><Description>d</Description><OffenceDate>2015-01-01</OffenceDate>\#(status)</Offence>"# + "\n"
        }
        let original = #"<Offence id="o1"><Description>Theft from a shop</Description><OffenceDate>2015-11-02</OffenceDate><Status>Current</Status><Outcome>ReferralOrder</Outcome></Offence>"# + "\n"
        #expect(example.contains(original))
        return example
            .replacingOccurrences(of: original, with: offences + extra)
            .replacingOccurrences(of: "<Incidents/>", with: incidents)
            .replacingOccurrences(of: #"<Episode id="e1" kind="Offending" status="Current"><Member ref="o1"/></Episode>"#, with: episodes)
    }

    @Test("past 65,536 ids the episode rules still find each member's kind, status and outcome")
    func rulesOnACompactTable() throws {
        let xml = try document(
            count: 70_000,
            incidents: #"<Incidents><Incident id="i1"><Description>d</Description><IncidentDate>2015-01-01</IncidentDate><Status>Historical</Status></Incident></Incidents>"#,
            episodes: #"""
                <Episode id="e1" kind="Offending" status="Current"><Member ref="o1"/><Member ref="i1"/></Episode>
                <Episode id="e2" kind="Offending" status="Current"><Member ref="o68000"/><Member ref="o69000"/><Member ref="o69999"/></Episode>
                """#)
        let findings = try Fixtures.process(xml).report.findings
        #expect(findings.map(\.code).sorted() == ["AP-EPISODE-MIX", "AP-EPISODE-OUTSTANDING", "AP-REMOVED-OUTCOME"])
        // The removed offence's own finding names its line, kept by the compact table.
        #expect(findings.contains { $0.code == "AP-REMOVED-OUTCOME" && $0.line == 37 + 68_000 && $0.message.contains("it is in an episode") })
    }

    @Test("past 65,536 ids a taken id and a member that names nothing are still schema errors")
    func schemaRulesOnACompactTable() throws {
        let duplicate = try document(
            count: 70_000,
            extra: #"<Offence id="o66000"><Description>d</Description><OffenceDate>2015-01-01</OffenceDate><Status>Historical</Status></Offence>"# + "\n",
            episodes: #"<Episode id="e1" kind="Offending" status="Current"><Member ref="o1"/></Episode>"#)
        let taken = try Fixtures.process(duplicate).report.findings
        #expect(taken.map(\.code) == ["XSD"])
        #expect(taken.first?.message.contains("the Offence id o66000 is already used") == true)
        #expect(taken.first?.line == 37 + 70_001)

        let dangling = try document(count: 70_000, episodes: #"<Episode id="e1" kind="Offending" status="Current"><Member ref="o70001"/></Episode>"#)
        let unknown = try Fixtures.process(dangling).report.findings
        #expect(unknown.map(\.code) == ["XSD"])
        #expect(unknown.first?.message.contains("Member ref o70001 of episode e1 does not name") == true)

        let valid = try document(count: 70_000, episodes: #"<Episode id="e1" kind="Offending" status="Current"><Member ref="o70000"/></Episode>"#)
        #expect(try Fixtures.process(valid).report.findings.isEmpty)
    }
}
