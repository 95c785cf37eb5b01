import CaseRecord
import Foundation
import Portal
import Testing

/// Issue 14, point 7: every value of the case record is on the case page.
@Suite("Case page fields")
struct CasePageFieldsTests {
    /// Keys whose values are enumerations or booleans in the model (they cannot take a made-up
    /// value; `caretaking` is shown as Yes/No), and the source's SHA-256, which the page shows as
    /// the first document's (the contract: the source document first, with the same digest).
    static let notTokenised: Set<String> = ["format", "caseType", "transferStatus", "area", "caretaking", "source.sha256"]

    /// A record with every list and optional section filled, so that every key has a value.
    static func fullRecord() throws -> CaseRecord {
        var record = try PortalHarness.record("valid/assetplus-transfer-to-probation.xml")
        record.positiveFactors = ["positive"]
        record.incidents = [.init(id: "i1", description: "incident", date: "2016-01-01", status: "Current")]
        record.episodes = [.init(id: "e1", kind: "Offending", status: "Current", members: ["o1"])]
        record.offences = [.init(id: "o1", description: "offence", date: "2016-01-01", status: "Current", outcome: "outcome")]
        record.needs[0].assetScore = 3
        record.needs[0].assetEvidence = "evidence"
        record.needs[0].factorsFor = [.init(text: "for", strength: "Strong")]
        record.needs[0].factorsAgainst = [.init(text: "against", strength: "Weak")]
        record.assessment.countersignedBy = [.init(section: "PathwaysPlanning", managerName: "manager", signedOn: "2016-04-28")]
        record.plan.targets = [.init(text: "target", keyAreas: ["NotOffending"], dueBy: "2016-06-01")]
        let service = CaseRecord.Service(name: "service", detail: "detail", date: "2016-09-01", lead: "lead")
        record.transition = .init(
            continuingServices: [service], endingServices: [service], unclearServices: [service], specificNeeds: "needs",
            supervisionForms: "forms", interventionsToAvoid: "avoid", changeOfSupervisor: "change", adultEnvironment: "adult", transitionHelp: "help")
        record.yotTransfer = .init(receivingYot: .init(code: "B24", name: "Other YOT"), reason: "moved", caretaking: true)
        record.diagnostics = [.init(code: "AP-SOMETHING", severity: "warning", message: "message", line: 7)]
        record.risk.yogrs = 40
        record.risk.mappa = .init(category: "1", level: "1")
        record.risk.scaledApproach = "Enhanced"
        record.risk.likelihoodOfReoffending = "Medium"
        record.risk.flags = .init(gangAssociation: "No", riskToChildren: "No", riskOfSelfHarm: "No", staffSafety: "No", previousIncidents: "No", childProtectionPlan: "Never")
        return record
    }

    /// Replaces every string and integer of the record's JSON with a value of its own, and returns
    /// the new record with the key path of each value.
    static func tokenised(_ record: CaseRecord) throws -> (record: CaseRecord, tokens: [(path: String, token: String)]) {
        var tokens: [(path: String, token: String)] = []
        func walk(_ value: Any, path: String, key: String) -> Any {
            if Self.notTokenised.contains(key) || Self.notTokenised.contains(path) { return value }
            switch value {
            case let object as [String: Any]:
                return Dictionary(uniqueKeysWithValues: object.map { ($0.key, walk($0.value, path: path.isEmpty ? $0.key : "\(path).\($0.key)", key: $0.key)) })
            case let array as [Any]:
                return array.enumerated().map { walk($0.element, path: "\(path)[\($0.offset)]", key: key) }
            case is String:
                let token = "tok\(tokens.count)x"
                tokens.append((path, token))
                return token
            case is Int:
                let token = 9100 + tokens.count
                tokens.append((path, String(token)))
                return token
            default:
                return value
            }
        }
        let object = try JSONSerialization.jsonObject(with: try record.jsonData())
        let changed = walk(object, path: "", key: "")
        let data = try JSONSerialization.data(withJSONObject: changed)
        return (try CaseRecord.decode(data), tokens)
    }

    @Test("every string and number of a full case record is shown on its page")
    func everyValueShown() throws {
        let record = try Self.fullRecord()
        #expect(record.source.sha256 == record.documents.first?.sha256)
        let (changed, tokens) = try Self.tokenised(record)
        #expect(tokens.count > 60)
        let html = CasePage(record: changed).render()
        for (path, token) in tokens {
            #expect(html.contains(token), "\(path) is not on the case page")
        }
        // The enumerations, as words.
        #expect(html.contains("AssetPlus document exported"))
        #expect(html.contains("<dt>Caretaking</dt><dd>Yes</dd>"))
        let caseType = ["OutOfCourt": "Out of court"][record.assessment.caseType.rawValue] ?? record.assessment.caseType.rawValue
        #expect(html.contains("<dt>Case type</dt><dd>\(caseType)</dd>"))
    }

    @Test("a target with no key area of the five is still listed")
    func targetWithoutKeyArea() throws {
        var record = try Self.fullRecord()
        record.plan.targets = [.init(text: "Keep the appointments", keyAreas: [], dueBy: nil)]
        let html = CasePage(record: record).render()
        #expect(html.contains("<td>No key area</td><td>Keep the appointments</td>"))
    }

    @Test("a current child protection plan is a risk to know first; none never is")
    func childProtectionPlan() throws {
        var record = try Self.fullRecord()
        record.risk.flags.childProtectionPlan = "Current"
        #expect(CasePage.riskAlerts(record).contains("Child protection plan: Current"))
        record.risk.flags.childProtectionPlan = "Never"
        #expect(!CasePage.riskAlerts(record).contains { $0.hasPrefix("Child protection plan") })
    }
}
