import CaseRecord
import Foundation
import NOCO
import Testing

/// What a sender completes by hand in the portal: checked as the contract says, put only into
/// gaps, never into the case record.
@Suite("NOCO completion")
struct CompletionTests {
    /// A record with every gap the rules know: no likelihood, YOGRS or MAPPA, a current offence
    /// without an outcome, no youth-to-adult section.
    static func gappy() -> CaseRecord {
        NOCOFixtures.record {
            $0.risk.likelihoodOfReoffending = nil
            $0.risk.yogrs = nil
            $0.risk.mappa = nil
            $0.offences = [.init(id: "o1", description: "Theft from a shop", date: "2015-11-02", status: "Current", outcome: nil)]
            $0.transition = nil
        }
    }

    static let full = NOCOCompletion(
        likelihoodOfReoffending: "Medium", yogrs: " 42 ", mappaCategory: "2", mappaLevel: "2",
        currentDisposal: "Referral order 6 months: Theft from a shop", specificNeeds: "Needs reading support",
        transitionHelp: "Named contact at the probation office", contactName: "A. Practitioner", contactPhone: "01632 960000",
        contactEmail: "a.practitioner@example.org")

    @Test("each field is checked as the contract says, and the message never quotes the value")
    func problems() {
        #expect(Self.full.problems().isEmpty)
        #expect(NOCOCompletion().problems().isEmpty)
        let cases: [(NOCOCompletion, String)] = [
            (.init(likelihoodOfReoffending: "VeryHigh"), "likelihoodOfReoffending"),
            (.init(yogrs: "101"), "yogrs"), (.init(yogrs: "-1"), "yogrs"), (.init(yogrs: "4.5"), "yogrs"), (.init(yogrs: "forty"), "yogrs"),
            (.init(mappaCategory: "4", mappaLevel: "1"), "mappaCategory"), (.init(mappaCategory: "1", mappaLevel: "Two"), "mappaLevel"),
            (.init(mappaCategory: "1"), "mappaLevel"), (.init(mappaLevel: "1"), "mappaCategory"),
            (.init(currentDisposal: String(repeating: "x", count: NOCOGenerator.maxText + 1)), "currentDisposal"),
            (.init(transitionHelp: "bell \u{07} here"), "transitionHelp"),
            (.init(contactPhone: "01632 960000"), "contactName"),
            (.init(contactName: "A. Practitioner", contactEmail: "not an address"), "contactEmail"),
        ]
        for (completion, field) in cases {
            let found = completion.problems()
            #expect(found.map(\.field) == [field], "\(completion): \(found)")
            for problem in found {
                // A value the contract allows (MAPPA "1") may stand in the list of allowed values.
                let quotable = [completion.yogrs, completion.likelihoodOfReoffending, completion.contactEmail, completion.mappaCategory, completion.mappaLevel]
                    .compactMap { $0 }.filter { !NOCOCompletion.mappaValues.contains($0) && !NOCOCompletion.likelihoods.contains($0) }
                for value in quotable {
                    #expect(!problem.message.contains(value))
                }
            }
        }
        // Edges of YOGRS are values.
        #expect(NOCOCompletion(yogrs: "0").problems().isEmpty && NOCOCompletion(yogrs: "100").problems().isEmpty)
    }

    @Test("values fill the gaps, the gaps go, receiver actions follow the completed values, NOCO.xml validates, the record is untouched")
    func fillsGaps() throws {
        let record = Self.gappy()
        let generated = try NOCOFixtures.document(record)
        #expect(Set(generated.gaps.map(\.field)) == ["LikelihoodOfReoffending", "YOGRS", "MAPPA", "CurrentDisposal", "Transition"])
        let (document, completed) = Self.full.apply(to: generated, record: record)
        #expect(completed == ["LikelihoodOfReoffending", "YOGRS", "MAPPA", "CurrentDisposal", "Transition", "Contact"])
        #expect(document.gaps.isEmpty)
        #expect(document.assessment.yogrs == 42 && document.assessment.likelihoodOfReoffending == "Medium")
        #expect(document.assessment.mappa == .init(category: "2", level: "2"))
        #expect(document.currentDisposals == ["Referral order 6 months: Theft from a shop"])
        #expect(document.transition?.transitionHelp == "Named contact at the probation office" && document.transition?.specificNeeds == "Needs reading support")
        #expect(document.from.contact == .init(name: "A. Practitioner", phone: "01632 960000", email: "a.practitioner@example.org"))
        // MAPPA level 2 given by hand asks for a MAPPA meeting, as it would from the record.
        #expect(!generated.receiverActions.contains { $0.rule == "RA-MAPPA-LEVEL" })
        #expect(document.receiverActions.contains { $0.rule == "RA-MAPPA-LEVEL" && $0.text == "MAPPA level 2: arrange a MAPPA meeting" })
        #expect(try NOCOFixtures.schemaErrors(document.xmlData()).isEmpty)
        // The record the assessment came from is what it was.
        #expect(record == Self.gappy())
    }

    @Test("a value the case record has is never replaced, and empty fields complete nothing")
    func onlyGaps() throws {
        let record = NOCOFixtures.quietRecord()
        let generated = try NOCOFixtures.document(record)
        #expect(generated.gaps.isEmpty)
        let (document, completed) = Self.full.apply(to: generated, record: record)
        #expect(completed == ["Contact"])
        #expect(document.assessment == generated.assessment && document.currentDisposals == generated.currentDisposals && document.transition == generated.transition)
        let blank = NOCOCompletion(likelihoodOfReoffending: "", yogrs: "  ", contactName: " ")
        let gappy = Self.gappy()
        let (untouched, none) = blank.apply(to: try NOCOFixtures.document(gappy), record: gappy)
        #expect(none.isEmpty)
        #expect(untouched.gaps == (try NOCOFixtures.document(gappy)).gaps)
    }
}
