import CaseRecord
import Foundation
import NOCO
import TestSupport
import Testing

/// NOCO.xml against XSD/noco.xsd: every generated one, and the contract's own example.
@Suite("NOCO.xml against noco.xsd")
struct SchemaTests {
    @Test("the NOCO of every valid sample validates, in both kinds", arguments: Fixtures.validSampleNames)
    func everySample(sample: String) throws {
        let record = try NOCOFixtures.record(sample)
        for kind in NOCOKind.allCases {
            let xml = try NOCOFixtures.document(record, kind: kind).xmlData()
            let errors = try NOCOFixtures.schemaErrors(xml)
            #expect(errors.isEmpty, "\(sample) \(kind): \(errors)")
        }
    }

    @Test("the contract's example NOCO validates")
    func contractExample() throws {
        let example = try Fixtures.contractExample("noco.md")
        #expect(example.contains("<NOCO xmlns=\"urn:y2a:noco:1\""))
        #expect(try NOCOFixtures.schemaErrors(Data(example.utf8)).isEmpty)
    }

    /// The example's AgeOnTransfer is 17, the age on AssessedOn (2014-09-10) of a person born
    /// 1996-10-01 (19 on its GeneratedAt, 2016-05-02): reproduced exactly, age included.
    @Test("the contract's example, generated from its Asset document: the same elements and values, age included")
    func reproducesContractExample() throws {
        let record = try NOCOFixtures.record("valid/contract-example-asset.xml")
        let document = try NOCOGenerator().document(from: record, request: NOCOFixtures.request())  // From B23, as the example
        let generated = Self.compact(String(decoding: document.xmlData(), as: UTF8.self))
        let example = Self.compact(try Fixtures.contractExample("noco.md"))
        #expect(example.contains("<AgeOnTransfer>17</AgeOnTransfer>"))
        #expect(generated == example)
    }

    @Test("a NOCO with every optional element, each list repeated, is in the XSD's order")
    func everyElement() throws {
        let record = NOCOFixtures.record {
            $0.risk.flags = .init(gangAssociation: "Yes", riskToChildren: "Yes", riskOfSelfHarm: "Yes", staffSafety: "Yes", previousIncidents: "Yes", childProtectionPlan: "Current")
            $0.risk.mappa = .init(category: "2", level: "3")
            $0.person.lookedAfter = "Previously"
            $0.offences.append(.init(id: "o2", description: "Burglary", date: "2016-01-02", status: "Current", outcome: "Custody"))
            $0.offences.append(.init(id: "o3", description: "Assault", date: "2016-01-03", status: "Current", outcome: nil))
            let service = CaseRecord.Service(name: "S", detail: "D", date: "2016-06-01", lead: "YOT")
            $0.transition = .init(
                continuingServices: [service, service], endingServices: [service, service], unclearServices: [service, service],
                specificNeeds: "a", supervisionForms: "b", interventionsToAvoid: "c", changeOfSupervisor: "d", adultEnvironment: "e", transitionHelp: "f")
        }
        var request = NOCOFixtures.request()
        request.from.contact = .init(name: "A. Practitioner", phone: "01632 960000", email: "a.practitioner@example.org")
        let document = try NOCOGenerator().document(from: record, request: request)
        #expect(document.currentDisposals.count == 2)
        #expect(document.raisedFlags.count == 6)
        #expect(!document.gaps.isEmpty && document.receiverActions.count == 5)
        let errors = try NOCOFixtures.schemaErrors(document.xmlData())
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test("a NOCO that breaks the XSD is caught by the check the command runs")
    func checkCatches() throws {
        var document = try NOCOFixtures.document(NOCOFixtures.quietRecord())
        document.youngPerson.lookedAfter = "Unknown"
        #expect(try !NOCOFixtures.schemaErrors(document.xmlData()).isEmpty)
    }

    /// Whitespace between tags removed: the example writes some elements on one line.
    static func compact(_ xml: String) -> String {
        xml.replacing(/>\s+</, with: "><").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
