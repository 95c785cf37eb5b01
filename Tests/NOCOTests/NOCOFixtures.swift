import CaseRecord
import Findings
import Foundation
import Gateway
import NOCO
import TestSupport
import Testing

/// Shared inputs for the NOCO tests: a fixed request (so output is deterministic), sample
/// records, a case record built in code for one-rule tests, and the NOCO schema check.
enum NOCOFixtures {
    /// 2016-05-02T10:00:00Z, the contract example's GeneratedAt.
    static let generatedAt = Date(timeIntervalSince1970: 1_462_183_200)
    static let transferId = "8c0e5a52-1f3b-4d7e-a9c4-2b6f0d1e7a33"
    static let golden = Fixtures.root.appendingPathComponent("Tests/NOCOTests/Golden")
    static let shippedTemplate = Fixtures.root.appendingPathComponent("Templates/noco.html.mustache")
    static let docs = Fixtures.root.appendingPathComponent("docs/noco.md")

    static func request(_ kind: NOCOKind = .youthToAdult, for record: CaseRecord? = nil) -> NOCORequest {
        NOCORequest(
            transferId: transferId, kind: kind,
            from: .init(
                code: record?.source.organisation.code ?? "B23", name: record?.source.organisation.name ?? "Northtown YOT",
                contact: .init(name: "A. Practitioner", phone: "01632 960000")),
            to: .init(code: "N07", name: "Northtown Probation Delivery Unit"),
            generatedAt: generatedAt)
    }

    static func record(_ sample: String) throws -> CaseRecord {
        try #require(try Fixtures.process(file: Fixtures.sample(sample), convert: true).caseRecord)
    }

    static func document(_ record: CaseRecord, kind: NOCOKind = .youthToAdult) throws -> NOCODocument {
        try NOCOGenerator().document(from: record, request: request(kind, for: record))
    }

    /// Errors found validating `xml` against XSD/noco.xsd (empty: valid).
    static func schemaErrors(_ xml: Data) throws -> [Finding] {
        try Fixtures.schemas.findings(forGenerated: [UInt8](xml), name: "NOCO.xml", schema: Fixtures.schemas.noco).filter(\.isError)
    }

    /// An AssetPlus record that fires no gap and no receiver action as a YotToYot NOCO: one-rule
    /// tests change one thing in it.
    static func quietRecord() -> CaseRecord {
        CaseRecord(
            source: .init(
                format: .assetPlus, documentId: "3f2b8c1e-6a4d-4e2b-9c71-0d5a2f8e9b10",
                organisation: .init(code: "B23", name: "Northtown YOT"), sourceSystem: "Test",
                exportedAt: "2016-05-01T09:00:00Z", sha256: String(repeating: "0", count: 64)),
            person: .init(
                id: "CV-000999", pnc: "15/1234567X", cro: nil, familyName: "Testperson", givenNames: "Alex",
                dateOfBirth: "1998-06-01", gender: "NotKnown", lookedAfter: "No"),
            assessment: .init(
                stage: "TransferToProbation", status: "CompletedAwaitingTransfer", transferStatus: .awaiting,
                assessedOn: "2016-04-29", caseType: .statutory, countersignedBy: []),
            risk: .init(
                riskOfSeriousHarm: "Low", likelihoodOfReoffending: "Low", safetyAndWellbeing: "Low", yogrs: 20,
                mappa: .init(category: "None", level: "None"), scaledApproach: "Standard",
                flags: .init(
                    gangAssociation: "No", riskToChildren: "No", riskOfSelfHarm: "No", staffSafety: "No",
                    previousIncidents: "No", childProtectionPlan: "Never")),
            needs: [],
            offences: [.init(id: "o1", description: "Theft from a shop", date: "2015-11-02", status: "Current", outcome: "ReferralOrder")],
            plan: .init(targets: []),
            transition: .init(
                continuingServices: [.init(name: "Leaving care", detail: "Personal adviser continues to 21", date: nil)],
                endingServices: [], unclearServices: [], specificNeeds: nil, supervisionForms: nil,
                interventionsToAvoid: nil, changeOfSupervisor: nil, adultEnvironment: nil, transitionHelp: nil),
            yotTransfer: nil, documents: [], diagnostics: [])
    }

    /// `quietRecord()` with one change.
    static func record(_ change: (inout CaseRecord) -> Void) -> CaseRecord {
        var record = quietRecord()
        change(&record)
        return record
    }
}
