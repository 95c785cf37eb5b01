import CaseRecord
import NOCO
import Testing

/// Each receiver-action rule, on a record built in code that changes one thing.
@Suite("Receiver actions")
struct ReceiverActionRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var kind: NOCOKind = .yotToYot
        var change: @Sendable (inout CaseRecord) -> Void
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        .init(name: "nothing to do", change: { _ in }, expected: []),
        .init(name: "every YouthToAdult", kind: .youthToAdult, change: { _ in }, expected: ["RA-ADULT-ASSESSMENTS"]),
        .init(name: "MAPPA level 2", change: { $0.risk.mappa = .init(category: "1", level: "2") }, expected: ["RA-MAPPA-LEVEL"]),
        .init(name: "MAPPA level 3", change: { $0.risk.mappa = .init(category: "2", level: "3") }, expected: ["RA-MAPPA-LEVEL"]),
        .init(name: "MAPPA category 2 at level 1", change: { $0.risk.mappa = .init(category: "2", level: "1") }, expected: ["RA-MAPPA-CATEGORY"]),
        .init(name: "MAPPA category 1 with no level", change: { $0.risk.mappa = .init(category: "1", level: "None") }, expected: ["RA-MAPPA-CATEGORY"]),
        .init(name: "no MAPPA", change: { $0.risk.mappa = nil }, expected: []),
        .init(name: "child protection plan Current", change: { $0.risk.flags.childProtectionPlan = "Current" }, expected: ["RA-CHILD-PROTECTION"]),
        .init(name: "child protection plan Previous", change: { $0.risk.flags.childProtectionPlan = "Previous" }, expected: []),
        .init(name: "looked after Yes", change: { $0.person.lookedAfter = "Yes" }, expected: ["RA-LOOKED-AFTER"]),
        .init(name: "looked after Previously", change: { $0.person.lookedAfter = "Previously" }, expected: ["RA-LOOKED-AFTER"]),
        .init(name: "RoSH High", change: { $0.risk.riskOfSeriousHarm = "High" }, expected: ["RA-ROSH"]),
        .init(name: "RoSH VeryHigh", change: { $0.risk.riskOfSeriousHarm = "VeryHigh" }, expected: ["RA-ROSH"]),
        .init(name: "RoSH Medium", change: { $0.risk.riskOfSeriousHarm = "Medium" }, expected: []),
        .init(name: "risk of self-harm Yes", change: { $0.risk.flags.riskOfSelfHarm = "Yes" }, expected: ["RA-SELF-HARM"]),
        .init(name: "risk of self-harm YetToClarify", change: { $0.risk.flags.riskOfSelfHarm = "YetToClarify" }, expected: []),
    ]

    @Test("each rule fires exactly when it should", arguments: cases)
    func rule(_ testCase: Case) throws {
        let record = NOCOFixtures.record(testCase.change)
        let actions = try NOCOFixtures.document(record, kind: testCase.kind).receiverActions
        #expect(actions.map(\.rule) == testCase.expected)
    }

    @Test("the messages")
    func messages() throws {
        func texts(_ kind: NOCOKind = .yotToYot, _ change: (inout CaseRecord) -> Void) throws -> [String] {
            try NOCOFixtures.document(NOCOFixtures.record(change), kind: kind).receiverActions.map(\.text)
        }
        #expect(try texts(.youthToAdult) { _ in } == ["Complete RSR and CAS outside the portal"])
        #expect(try texts { $0.risk.mappa = .init(category: "1", level: "2") } == ["MAPPA level 2: arrange a MAPPA meeting"])
        #expect(try texts { $0.risk.mappa = .init(category: "3", level: "1") } == ["MAPPA category 3: confirm management arrangements with the MAPPA coordinator"])
        #expect(try texts { $0.risk.flags.childProtectionPlan = "Current" } == ["Child protection plan is current: make safeguarding follow-up with children's services"])
        #expect(try texts { $0.person.lookedAfter = "Previously" } == ["Looked-after status (Previously): confirm leaving-care support and personal adviser"])
        #expect(try texts { $0.risk.riskOfSeriousHarm = "VeryHigh" } == ["RoSH VeryHigh: review risk management plan on allocation"])
        #expect(try texts { $0.risk.flags.riskOfSelfHarm = "Yes" } == ["Risk of self-harm raised: share safety plan with the new supervisor"])
    }

    @Test("several rules: actions in rule order, all in NOCO.xml")
    func together() throws {
        let record = NOCOFixtures.record {
            $0.risk.flags.riskOfSelfHarm = "Yes"
            $0.risk.riskOfSeriousHarm = "High"
            $0.person.lookedAfter = "Yes"
            $0.risk.flags.childProtectionPlan = "Current"
            $0.risk.mappa = .init(category: "2", level: "2")
        }
        let document = try NOCOFixtures.document(record, kind: .youthToAdult)
        #expect(document.receiverActions.map(\.rule) == ["RA-ADULT-ASSESSMENTS", "RA-MAPPA-LEVEL", "RA-CHILD-PROTECTION", "RA-LOOKED-AFTER", "RA-ROSH", "RA-SELF-HARM"])
        let xml = String(decoding: document.xmlData(), as: UTF8.self)
        #expect(xml.components(separatedBy: "<ReceiverAction>").count - 1 == 6)
        #expect(try NOCOFixtures.schemaErrors(document.xmlData()).isEmpty)
    }

    @Test("rule ids are unique and every rule is documented in docs/noco.md")
    func documented() throws {
        let ids = ReceiverActionRule.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        let docs = try String(contentsOf: NOCOFixtures.docs, encoding: .utf8)
        for id in ids { #expect(docs.contains(id), "\(id) is not in docs/noco.md") }
        for field in GapRule.all.map(\.field) { #expect(docs.contains("`\(field)`"), "gap \(field) is not in docs/noco.md") }
    }
}
