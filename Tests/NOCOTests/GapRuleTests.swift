import CaseRecord
import NOCO
import TestSupport
import Testing

/// Each gap rule: the field the NOCO wants, the record lacks, and the sender completes by hand.
@Suite("Gaps")
struct GapRuleTests {
    func gaps(_ record: CaseRecord, _ kind: NOCOKind = .yotToYot) throws -> [NOCODocument.Gap] {
        try NOCOFixtures.document(record, kind: kind).gaps
    }

    @Test("a complete record has no gap, in either kind")
    func none() throws {
        #expect(try gaps(NOCOFixtures.quietRecord(), .yotToYot).isEmpty)
        #expect(try gaps(NOCOFixtures.quietRecord(), .youthToAdult).isEmpty)
    }

    @Test("no MAPPA in the record: MAPPA left out and a gap")
    func mappa() throws {
        let record = NOCOFixtures.record { $0.risk.mappa = nil }
        let document = try NOCOFixtures.document(record, kind: .yotToYot)
        #expect(document.gaps == [.init(field: "MAPPA", reason: "the assessment records no MAPPA category or level")])
        #expect(document.assessment.mappa == nil)
        let xml = String(decoding: document.xmlData(), as: UTF8.self)
        #expect(!xml.contains("<MAPPA"))
        #expect(xml.contains("<Gap field=\"MAPPA\">"))
        #expect(try NOCOFixtures.schemaErrors(document.xmlData()).isEmpty)
    }

    @Test("MAPPA None/None is an answer, not a gap")
    func mappaNone() throws {
        let document = try NOCOFixtures.document(NOCOFixtures.quietRecord(), kind: .yotToYot)
        #expect(document.assessment.mappa == .init(category: "None", level: "None"))
        #expect(!document.gaps.contains { $0.field == "MAPPA" })
    }

    @Test("no YOGRS: the reason names Asset, which never has one")
    func yogrs() throws {
        let assetPlus = NOCOFixtures.record { $0.risk.yogrs = nil }
        #expect(try gaps(assetPlus) == [.init(field: "YOGRS", reason: "the assessment has no YOGRS score")])
        let asset = NOCOFixtures.record {
            $0.risk.yogrs = nil
            $0.source = .init(format: .asset, documentId: "F-1", organisation: $0.source.organisation, sourceSystem: nil, exportedAt: $0.source.exportedAt, sha256: $0.source.sha256)
        }
        #expect(try gaps(asset) == [.init(field: "YOGRS", reason: "Asset assessments have no YOGRS score")])
        #expect(try gaps(NOCOFixtures.record("valid/contract-example-asset.xml")).contains(.init(field: "YOGRS", reason: "Asset assessments have no YOGRS score")))
    }

    @Test("no likelihood of reoffending")
    func likelihood() throws {
        let record = NOCOFixtures.record { $0.risk.likelihoodOfReoffending = nil }
        #expect(try gaps(record) == [.init(field: "LikelihoodOfReoffending", reason: "the assessment has no likelihood of reoffending")])
        let xml = String(decoding: try NOCOFixtures.document(record).xmlData(), as: UTF8.self)
        #expect(!xml.contains("<LikelihoodOfReoffending>"))
    }

    @Test("YouthToAdult without a youth-to-adult section: a Transition gap; YotToYot needs none")
    func transition() throws {
        let record = NOCOFixtures.record { $0.transition = nil }
        #expect(try gaps(record, .youthToAdult) == [.init(field: "Transition", reason: "the assessment has no youth-to-adult section")])
        #expect(try gaps(record, .yotToYot).isEmpty)
        #expect(try NOCOFixtures.document(record, kind: .youthToAdult).transition == nil)
    }

    @Test("a current offence with no outcome: its disposal is a gap, named by offence id")
    func currentWithoutOutcome() throws {
        let record = NOCOFixtures.record {
            $0.offences.append(.init(id: "o2", description: "Criminal damage", date: "2016-01-10", status: "Current", outcome: nil))
        }
        let document = try NOCOFixtures.document(record, kind: .yotToYot)
        #expect(document.gaps == [.init(field: "CurrentDisposal", reason: "offence o2 is current but has no outcome recorded")])
        #expect(document.currentDisposals == ["ReferralOrder: Theft from a shop"])
    }

    @Test("a disposal longer than the contract allows is shortened, with a gap")
    func longDisposal() throws {
        let long = String(repeating: "x", count: 4100)
        let record = NOCOFixtures.record { $0.offences[0].description = long }
        let document = try NOCOFixtures.document(record, kind: .yotToYot)
        #expect(document.currentDisposals[0].count == 4000)
        #expect(document.gaps.map(\.field) == ["CurrentDisposal"])
        #expect(try NOCOFixtures.schemaErrors(document.xmlData()).isEmpty)
    }

    @Test("gaps come in the order of the NOCO's fields")
    func order() throws {
        let record = NOCOFixtures.record {
            $0.transition = nil
            $0.risk.mappa = nil
            $0.risk.yogrs = nil
            $0.risk.likelihoodOfReoffending = nil
            $0.offences.append(.init(id: "o2", description: "Criminal damage", date: "2016-01-10", status: "Current", outcome: nil))
        }
        #expect(try gaps(record, .youthToAdult).map(\.field) == ["LikelihoodOfReoffending", "YOGRS", "MAPPA", "CurrentDisposal", "Transition"])
        #expect(GapRule.all.map(\.field) == ["LikelihoodOfReoffending", "YOGRS", "MAPPA", "CurrentDisposal", "Transition"])
    }

    @Test("gap reasons carry no personal data", arguments: Fixtures.validSampleNames)
    func noPersonalData(sample: String) throws {
        let record = try NOCOFixtures.record(sample)
        let document = try NOCOFixtures.document(record)
        let personal = [record.person.familyName, record.person.givenNames, record.person.dateOfBirth] + record.offences.map(\.description)
        for text in document.gaps.map(\.reason) + document.receiverActions.map(\.text) {
            for value in personal { #expect(!text.contains(value)) }
        }
    }
}
