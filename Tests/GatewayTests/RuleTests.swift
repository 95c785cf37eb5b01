import AssetPlusFormat
import Findings
import Foundation
import Gateway
import TestSupport
import Testing

/// Rules checked on small edits of a valid document, one rule per test.
@Suite("Framework rules")
struct RuleTests {
    static let assetPlus = try! String(contentsOfFile: Fixtures.sample("valid/contract-example-assetplus.xml"), encoding: .utf8)

    func codes(_ xml: String, policy: CountersignPolicy = .contractDefault) throws -> [String] {
        try Fixtures.process(xml, options: .init(countersignPolicy: policy)).report.findings.map(\.code)
    }

    @Test("the countersignature triggers come from the policy")
    func policyChangesTriggers() throws {
        // RoSH High triggers ExplanationsConclusions by default; without countersignatures it fails...
        let high = Self.assetPlus
            .replacingOccurrences(of: "<RiskOfSeriousHarm>Low</RiskOfSeriousHarm>", with: "<RiskOfSeriousHarm>High</RiskOfSeriousHarm>")
            .replacingOccurrences(of: "<IndicativeLoR>Medium</IndicativeLoR>", with: "<IndicativeLoR>High</IndicativeLoR>")
        let unsigned = high.replacingOccurrences(
            of: #"<Countersignature section="ExplanationsConclusions"><ManagerName>M. Manager</ManagerName><SignedOn>2016-04-28</SignedOn></Countersignature>"#, with: "")
            .replacingOccurrences(of: #"<Countersignature section="PathwaysPlanning"><ManagerName>M. Manager</ManagerName><SignedOn>2016-04-28</SignedOn></Countersignature>"#, with: "")
        #expect(try codes(unsigned) == ["AP-COUNTERSIGN", "AP-COUNTERSIGN"])
        // ...and a YOT whose policy does not count RoSH accepts it.
        let lenient = CountersignPolicy(riskOfSeriousHarm: [])
        #expect(try codes(unsigned, policy: lenient) == [])
    }

    @Test("a policy file may give only some keys; the rest keep the contract's defaults")
    func policyFileDefaults() throws {
        let policy = try JSONDecoder().decode(CountersignPolicy.self, from: Data(#"{"riskOfSeriousHarm": ["VeryHigh"]}"#.utf8))
        #expect(policy.riskOfSeriousHarm == ["VeryHigh"])
        #expect(policy.safetyWellbeing == ["High", "VeryHigh"])
        #expect(policy.mappaCategoryNotNone)
    }

    @Test("an in-progress stage needs no countersignature even when a trigger holds")
    func inProgressNeedsNoCountersignature() throws {
        let xml = Self.assetPlus
            .replacingOccurrences(of: "<Status>CompletedAwaitingTransfer</Status>", with: "<Status>InProgress</Status>")
            .replacingOccurrences(of: "<CompletedOn>2016-04-29</CompletedOn>", with: "")
            .replacingOccurrences(of: #"<Countersignature section="ExplanationsConclusions"><ManagerName>M. Manager</ManagerName><SignedOn>2016-04-28</SignedOn></Countersignature>"#, with: "")
            .replacingOccurrences(of: #"<Countersignature section="PathwaysPlanning"><ManagerName>M. Manager</ManagerName><SignedOn>2016-04-28</SignedOn></Countersignature>"#, with: "")
        #expect(try codes(xml) == [])
    }

    @Test("an id with surrounding whitespace is refused although xs:ID would collapse it")
    func paddedId() throws {
        let xml = Self.assetPlus.replacingOccurrences(of: #"<Offence id="o1">"#, with: #"<Offence id=" o1 ">"#)
        #expect(try codes(xml) == ["XSD"])
    }

    @Test("rules do not run on a schema-invalid document")
    func rulesWaitForSchema() throws {
        let xml = Self.assetPlus
            .replacingOccurrences(of: "<Gender>Male</Gender>", with: "<Gender>male</Gender>")
            .replacingOccurrences(of: "<Status>CompletedAwaitingTransfer</Status>", with: "<Status>Stopped</Status>")
        #expect(try codes(xml) == ["XSD"])
    }

    @Test("a document that breaks several rules reports all of them")
    func allFindings() throws {
        let xml = Self.assetPlus
            .replacingOccurrences(of: "<Status>CompletedAwaitingTransfer</Status>", with: "<Status>Stopped</Status>")
            .replacingOccurrences(of: "<CompletedOn>2016-04-29</CompletedOn>", with: "<CompletedOn>2016-04-01</CompletedOn>")
        #expect(Set(try codes(xml)) == ["AP-REASON", "AP-COMPLETED-DATE"])
    }
}
