import CaseRecord
import Foundation
import NOCO
import TestSupport
import Testing

/// What the generator copies from the case record, and what it computes.
@Suite("NOCO generator")
struct GeneratorTests {
    /// The quiet record is assessed on 2016-04-29 and its NOCO generated on 2016-05-02: the
    /// age is taken on the first, whatever the second.
    @Test("AgeOnTransfer is whole years on AssessedOn, not on GeneratedAt", arguments: [
        ("1998-04-29", "2016-04-29", 18),  // birthday on the assessment date counts
        ("1998-04-30", "2016-04-29", 17),  // birthday the next day (and before GeneratedAt)
        ("1998-05-02", "2016-04-29", 17),  // 18 on GeneratedAt's date, 17 on AssessedOn
        ("1998-04-28", "2016-04-29", 18),
        ("2000-02-29", "2017-02-28", 16),  // 29 February: the birthday falls on 1 March in 2017
        ("2000-02-29", "2017-03-01", 17),
        ("2000-02-29", "2016-02-29", 16),  // and on 29 February in a leap year
        ("1996-10-01", "2014-09-10", 17),  // the contract's example (19 on its GeneratedAt)
    ])
    func age(dateOfBirth: String, assessedOn: String, expected: Int) throws {
        let record = NOCOFixtures.record {
            $0.person.dateOfBirth = dateOfBirth
            $0.assessment.assessedOn = assessedOn
        }
        #expect(record.ageOnAssessment == expected)
        #expect(try NOCOFixtures.document(record).youngPerson.ageOnTransfer == expected)
    }

    @Test("a record whose date of birth is after its assessment date gives no NOCO (no negative age)")
    func ageNegative() throws {
        let record = NOCOFixtures.record { $0.person.dateOfBirth = "2016-05-01" }
        let error = try #require(throws: NOCOError.self) { try NOCOFixtures.document(record) }
        #expect(error.code == "NOCO-DATE")
        #expect(!error.description.contains("2016-05-01"))
    }

    @Test("GeneratedAt is the injected moment, in UTC at whole seconds")
    func generatedAt() throws {
        let document = try NOCOFixtures.document(NOCOFixtures.quietRecord())
        #expect(document.generatedAt == "2016-05-02T10:00:00Z")
        // Fractions of a second are dropped.
        #expect(NOCORequest.timestamp(Date(timeIntervalSince1970: 1_462_228_200.75)) == "2016-05-02T22:30:00Z")
    }

    @Test("AssetPlus: a disposal for each Current offence with an outcome, as \"<outcome>: <description>\"")
    func assetPlusDisposals() throws {
        let record = NOCOFixtures.record {
            $0.offences = [
                .init(id: "o1", description: "Theft from a shop", date: "2015-11-02", status: "Current", outcome: "ReferralOrder"),
                .init(id: "o2", description: "Criminal damage", date: "2014-01-02", status: "Historical", outcome: "YouthCaution"),
                .init(id: "o3", description: "Assault", date: "2016-03-02", status: "Outstanding", outcome: nil),
                .init(id: "o4", description: "Burglary", date: "2016-01-02", status: "Current", outcome: "YouthRehabilitationOrder"),
            ]
        }
        #expect(try NOCOFixtures.document(record).currentDisposals == ["ReferralOrder: Theft from a shop", "YouthRehabilitationOrder: Burglary"])
    }

    @Test("Asset: every offence with an outcome (Asset has no offence status); the contract's example text")
    func assetDisposals() throws {
        let record = try NOCOFixtures.record("valid/contract-example-asset.xml")
        #expect(try NOCOFixtures.document(record).currentDisposals == ["Referral order 9 months: Assault by beating"])
        let bail = try NOCOFixtures.record("valid/asset-bail-asset.xml")  // its offence has no outcome
        #expect(try NOCOFixtures.document(bail).currentDisposals.isEmpty)
    }

    @Test("raised flags are the record's, in contract order")
    func flags() throws {
        let record = NOCOFixtures.record {
            $0.risk.flags = .init(gangAssociation: "Yes", riskToChildren: "No", riskOfSelfHarm: "YetToClarify", staffSafety: "Yes", previousIncidents: nil, childProtectionPlan: "Previous")
        }
        #expect(try NOCOFixtures.document(record).raisedFlags == ["GangAssociation", "StaffSafety", "ChildProtectionPlan"])
    }

    @Test("the transition is copied from the record (names and details; dates have no place)")
    func transition() throws {
        let record = try NOCOFixtures.record("valid/contract-example-assetplus.xml")
        let transition = try #require(try NOCOFixtures.document(record).transition)
        #expect(transition.continuingServices == [.init(name: "Leaving care", detail: "Personal adviser continues to 21")])
        #expect(transition.endingServices == [.init(name: "CAMHS", detail: "Refer to adult mental health services")])
        #expect(transition.transitionHelp == "Text reminders of appointments")
        #expect(transition.specificNeeds == nil)
    }

    @Test("values come from the record and the request")
    func copied() throws {
        let record = try NOCOFixtures.record("valid/contract-example-assetplus.xml")
        let document = try NOCOFixtures.document(record)
        #expect(document.youngPerson == .init(personId: "CV-000123", pnc: "15/1234567X", familyName: "Doe", givenNames: "Jamie", dateOfBirth: "1998-06-01", ageOnTransfer: 17, lookedAfter: "Yes"))
        #expect(document.assessment == .init(framework: .assetPlus, fileName: "AssetPlus.XML", stage: "TransferToProbation", assessedOn: "2016-04-29", riskOfSeriousHarm: "Low", likelihoodOfReoffending: "High", safetyAndWellbeing: "Medium", yogrs: 38, mappa: .init(category: "None", level: "None")))
        #expect(document.from == .init(code: "B23", name: "Northtown YOT", contact: .init(name: "A. Practitioner", phone: "01632 960000")))
        #expect(document.to == .init(code: "N07", name: "Northtown Probation Delivery Unit"))
    }

    @Test("the transfer id is written lower-case; anything but a UUID is refused")
    func transferId() throws {
        var request = NOCOFixtures.request()
        request.transferId = "8C0E5A52-1F3B-4D7E-A9C4-2B6F0D1E7A33"
        #expect(try NOCOGenerator().document(from: NOCOFixtures.quietRecord(), request: request).transferId == NOCOFixtures.transferId)
        request.transferId = "not-a-uuid"
        #expect(throws: NOCOError.self) { try NOCOGenerator().document(from: NOCOFixtures.quietRecord(), request: request) }
        #expect(NOCORequest.isTransferId(NOCORequest.newTransferId()))
        let fresh = NOCORequest.newTransferId()
        #expect(fresh == fresh.lowercased())
    }

    @Test("a record without a person id cannot give a NOCO (the XSD requires one); the error names no value")
    func noPersonId() throws {
        let record = NOCOFixtures.record { $0.person.id = nil }
        let error = try #require(throws: NOCOError.self) { try NOCOFixtures.document(record) }
        #expect(error.code == "NOCO-PERSON-ID")
    }

    @Test("values are escaped in NOCO.xml, and it stays valid")
    func escaping() throws {
        let record = NOCOFixtures.record {
            $0.person.familyName = "O'Brien & <Sons>"
            $0.transition?.continuingServices = [.init(name: "A \"quoted\"\tname\non two lines", detail: "x < y & z > w", date: nil)]
        }
        let xml = String(decoding: try NOCOFixtures.document(record).xmlData(), as: UTF8.self)
        #expect(xml.contains("<FamilyName>O'Brien &amp; &lt;Sons&gt;</FamilyName>"))
        #expect(xml.contains("<ContinuingService name=\"A &quot;quoted&quot;&#9;name&#10;on two lines\">x &lt; y &amp; z &gt; w</ContinuingService>"))
        #expect(try NOCOFixtures.schemaErrors(Data(xml.utf8)).isEmpty)
    }

    @Test("the same inputs give the same bytes")
    func deterministic() throws {
        let record = try NOCOFixtures.record("valid/assetplus-transfer-to-probation.xml")
        #expect(try NOCOFixtures.document(record).xmlData() == NOCOFixtures.document(record).xmlData())
    }
}
