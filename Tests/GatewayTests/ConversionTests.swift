import CaseRecord
import Foundation
import Gateway
import TestSupport
import Testing

/// Case records: golden JSON for every valid sample, and the contract's mapping rules spelled out.
@Suite("Conversion to the case record")
struct ConversionTests {
    static let golden = Fixtures.root.appendingPathComponent("Tests/GatewayTests/Golden")

    func record(_ name: String) throws -> CaseRecord {
        try #require(try Fixtures.process(file: Fixtures.sample(name), convert: true).caseRecord)
    }

    /// Re-record with `Y2A_RECORD_GOLDEN=1 swift test`; review the diff before committing.
    @Test("JSON matches the golden file", arguments: Fixtures.validSampleNames)
    func goldenJSON(name: String) throws {
        let json = try record(name).jsonData()
        let file = Self.golden.appendingPathComponent(URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent + ".case.json")
        if ProcessInfo.processInfo.environment["Y2A_RECORD_GOLDEN"] == "1" {
            try json.write(to: file)
        }
        let expected = try Data(contentsOf: file)
        #expect(String(decoding: json, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test("conversion is deterministic and round-trips through JSON", arguments: Fixtures.validSampleNames)
    func roundTrip(name: String) throws {
        let first = try record(name)
        // The digest made while validating is the digest of the file's bytes.
        #expect(first.source.sha256 == DocumentProcessor.sha256Hex(try Data(contentsOf: URL(fileURLWithPath: Fixtures.sample(name)))))
        let again = try record(name)
        #expect(try first.jsonData() == again.jsonData())
        #expect(try CaseRecord.decode(first.jsonData()) == first)
    }

    @Test("Asset mappings of the contract")
    func assetMapping() throws {
        let record = try record("valid/contract-example-asset.xml")
        #expect(record.source.format == .asset)
        #expect(record.source.fileName == "Asset.XML")
        #expect(record.source.documentId == "F-88231")
        #expect(record.source.sourceSystem == nil)
        #expect(record.person.gender == "Female")
        #expect(record.person.lookedAfter == "No")
        #expect(record.risk.yogrs == nil)
        #expect(record.risk.likelihoodOfReoffending == "Medium")  // total 22
        #expect(record.risk.safetyAndWellbeing == "Medium")
        #expect(record.risk.mappa == CaseRecord.MAPPA(category: "None", level: "None"))
        #expect(record.assessment.transferStatus == .awaiting)
        #expect(record.assessment.caseType == .statutory)
        #expect(record.needs.map(\.area) == NeedArea.allCases)
        let lifestyle = try #require(record.needs.first { $0.area == .lifestyleNeighbourhood })
        #expect(lifestyle.assetScore == 2)  // max(Neighbourhood 1, Lifestyle 2)
        let thinking = try #require(record.needs.first { $0.area == .thinkingBehaviour })
        #expect(thinking.assetScore == 3)  // max(Perception 1, Thinking 3)
        #expect(record.needs.first { $0.area == .speechLanguageCommunication }?.assetScore == nil)
        let transition = try #require(record.transition)
        #expect(transition.endingServices == [.init(name: "Asset transfer form", detail: "Youth substance misuse service ends at 18", date: nil)])
        #expect(transition.transitionHelp == "Text reminders; named contact at probation office")
        #expect(record.documents.first?.fileName == "Asset.XML")
        let json = String(decoding: try record.jsonData(), as: UTF8.self)
        #expect(json.contains("\"yogrs\" : null"))
    }

    @Test("AssetPlus mappings of the contract")
    func assetPlusMapping() throws {
        let record = try record("valid/contract-example-assetplus.xml")
        #expect(record.source.fileName == "AssetPlus.XML")
        #expect(record.source.documentId == "3f2b8c1e-6a4d-4e2b-9c71-0d5a2f8e9b10")
        #expect(record.person.pnc == "15/1234567X")
        #expect(record.person.cro == nil)
        #expect(record.assessment.assessedOn == "2016-04-29")
        #expect(record.assessment.transferStatus == .awaiting)
        #expect(record.assessment.countersignedBy.count == 2)
        #expect(record.risk.yogrs == 38)
        #expect(record.risk.flags.riskOfSelfHarm == "YetToClarify")
        let resilience = try #require(record.needs.first { $0.area == .resilienceGoals })
        #expect(resilience.factorsFor == [.init(text: "Wants to sit GCSEs, get a job and buy a house", strength: "Strong")])
        #expect(resilience.assetScore == nil)
        #expect(record.transition?.endingServices.first?.date == "2016-06-01")
        #expect(record.yotTransfer == nil)
        #expect(record.documents.first?.sha256 == record.source.sha256)
    }

    @Test("case type: prevention, out of court, statutory")
    func caseTypes() throws {
        #expect(try record("valid/assetplus-prevention-referral.xml").assessment.caseType == .prevention)
        #expect(try record("valid/assetplus-out-of-court.xml").assessment.caseType == .outOfCourt)
        #expect(try record("valid/asset-final-warning.xml").assessment.caseType == .outOfCourt)
        #expect(try record("valid/asset-prevention-no-offences.xml").assessment.caseType == .prevention)
        #expect(try record("valid/assetplus-transfer-to-probation.xml").assessment.caseType == .statutory)
    }

    @Test("warnings that held become the record's diagnostics")
    func diagnostics() throws {
        let record = try record("valid/assetplus-transfer-age-warning.xml")
        #expect(record.diagnostics.map(\.code) == ["AP-TRANSFER-AGE"])
    }

    @Test("the same young person across frameworks, by PNC or by names and date of birth")
    func samePerson() throws {
        let a = try record("valid/contract-example-asset.xml")
        var b = a
        b.person.familyName = " ROE "
        b.person.pnc = nil
        #expect(a.isSamePerson(as: b))
        b.person.dateOfBirth = "1996-10-02"
        #expect(!a.isSamePerson(as: b))
        var c = a
        c.person.pnc = "15/1X"
        var d = a
        d.person.pnc = "15/2X"
        #expect(!c.isSamePerson(as: d))
    }

    @Test("ages: whole years, 29 February birthdays fall on 1 March")
    func ages() throws {
        let birth = try #require(CalendarDate("2000-02-29"))
        #expect(try #require(CalendarDate("2017-02-28")).age(bornOn: birth) == 16)
        #expect(try #require(CalendarDate("2017-03-01")).age(bornOn: birth) == 17)
        let fromTimestamp = CalendarDate("2016-05-02T10:00:00Z")
        #expect(fromTimestamp != nil && fromTimestamp == CalendarDate("2016-05-02"))
        #expect(CalendarDate("2016-13-01") == nil && CalendarDate("16-05-02") == nil)
    }
}
