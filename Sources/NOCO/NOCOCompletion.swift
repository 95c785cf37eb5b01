public import CaseRecord
import Foundation

/// What a sender completes by hand in a NOCO: the gaps the case record left (likelihood of
/// reoffending, YOGRS, MAPPA, current disposal, transition) and the contact at the sending YOT.
///
/// Values are raw form text. `problems()` checks them as `noco.md` and `noco.xsd` say;
/// `apply(to:record:)` puts them into the NOCO only where the generator left a gap (a value the
/// case record has is never replaced) and removes the gaps they fill. The case record itself is
/// never changed: the assessment travels exactly as stored.
public struct NOCOCompletion: Sendable, Hashable {
    public var likelihoodOfReoffending: String?
    public var yogrs: String?
    public var mappaCategory: String?
    public var mappaLevel: String?
    public var currentDisposal: String?
    public var specificNeeds: String?
    public var transitionHelp: String?
    public var contactName: String?
    public var contactPhone: String?
    public var contactEmail: String?

    public init(
        likelihoodOfReoffending: String? = nil, yogrs: String? = nil, mappaCategory: String? = nil, mappaLevel: String? = nil,
        currentDisposal: String? = nil, specificNeeds: String? = nil, transitionHelp: String? = nil,
        contactName: String? = nil, contactPhone: String? = nil, contactEmail: String? = nil
    ) {
        self.likelihoodOfReoffending = likelihoodOfReoffending
        self.yogrs = yogrs
        self.mappaCategory = mappaCategory
        self.mappaLevel = mappaLevel
        self.currentDisposal = currentDisposal
        self.specificNeeds = specificNeeds
        self.transitionHelp = transitionHelp
        self.contactName = contactName
        self.contactPhone = contactPhone
        self.contactEmail = contactEmail
    }

    /// The contract's values for LikelihoodOfReoffending and for MAPPA's category and level.
    public static let likelihoods = ["Low", "Medium", "High"]
    public static let mappaValues = ["None", "1", "2", "3"]

    /// A value that does not fit the contract: the form field and what is wrong (never the value).
    public struct Problem: Sendable, Hashable {
        /// The form field (`yogrs`, `mappaLevel`, `contactPhone`, ...).
        public var field: String
        public var message: String
    }

    /// The completion with every value trimmed and empty ones dropped.
    public var normalised: NOCOCompletion {
        func clean(_ value: String?) -> String? {
            guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
            return trimmed
        }
        return NOCOCompletion(
            likelihoodOfReoffending: clean(likelihoodOfReoffending), yogrs: clean(yogrs), mappaCategory: clean(mappaCategory),
            mappaLevel: clean(mappaLevel), currentDisposal: clean(currentDisposal), specificNeeds: clean(specificNeeds),
            transitionHelp: clean(transitionHelp), contactName: clean(contactName), contactPhone: clean(contactPhone),
            contactEmail: clean(contactEmail))
    }

    /// Every value that does not fit the contract, in form order; empty when all fit.
    public func problems() -> [Problem] {
        let value = normalised
        var problems: [Problem] = []
        if let likelihood = value.likelihoodOfReoffending, !Self.likelihoods.contains(likelihood) {
            problems.append(.init(field: "likelihoodOfReoffending", message: "The likelihood of reoffending must be Low, Medium or High."))
        }
        if let yogrs = value.yogrs, Int(yogrs).map({ !(0...100).contains($0) }) ?? true {
            problems.append(.init(field: "yogrs", message: "YOGRS must be a whole number from 0 to 100."))
        }
        for (field, what, given) in [("mappaCategory", "category", value.mappaCategory), ("mappaLevel", "level", value.mappaLevel)] {
            if let given, !Self.mappaValues.contains(given) {
                problems.append(.init(field: field, message: "The MAPPA \(what) must be None, 1, 2 or 3."))
            }
        }
        if (value.mappaCategory == nil) != (value.mappaLevel == nil) {
            problems.append(.init(field: value.mappaCategory == nil ? "mappaCategory" : "mappaLevel", message: "MAPPA needs both a category and a level."))
        }
        let texts: [(String, String, String?)] = [
            ("currentDisposal", "The current disposal", value.currentDisposal), ("specificNeeds", "Specific needs", value.specificNeeds),
            ("transitionHelp", "Help with the transition", value.transitionHelp), ("contactName", "The contact's name", value.contactName),
            ("contactPhone", "The contact's phone", value.contactPhone), ("contactEmail", "The contact's e-mail", value.contactEmail),
        ]
        for (field, what, text) in texts {
            guard let text else { continue }
            if text.count > NOCOGenerator.maxText {
                problems.append(.init(field: field, message: "\(what) must be at most \(NOCOGenerator.maxText) characters."))
            } else if text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }) || text.unicodeScalars.contains(where: { (0xFFFE...0xFFFF).contains($0.value) }) {
                problems.append(.init(field: field, message: "\(what) holds a character that cannot travel in XML."))
            }
        }
        if value.contactName == nil, value.contactPhone != nil || value.contactEmail != nil {
            problems.append(.init(field: "contactName", message: "A phone or e-mail needs the contact's name (the NOCO contact has a name)."))
        }
        if let email = value.contactEmail, !(email.contains("@") && !email.hasPrefix("@") && !email.hasSuffix("@") && !email.contains(" ")) {
            problems.append(.init(field: "contactEmail", message: "The contact's e-mail must look like name@example.org."))
        }
        return problems
    }

    /// The NOCO with these values in its gaps, and the NOCO fields completed (names only, for
    /// the audit trail). Only gaps are filled; the contact is the sender's own detail and is
    /// always taken. Receiver actions are derived again by the same rules, from the record as
    /// completed (a MAPPA level 2 given by hand still asks for a MAPPA meeting).
    /// Call `problems()` first: a value that does not fit is ignored here.
    public func apply(
        to generated: NOCODocument, record: CaseRecord, rules: [ReceiverActionRule] = ReceiverActionRule.all
    ) -> (document: NOCODocument, completed: [String]) {
        let value = normalised
        var document = generated
        var completed: [String] = []
        let gaps = Set(generated.gaps.map(\.field))
        var risk = record.risk
        if gaps.contains("LikelihoodOfReoffending"), let likelihood = value.likelihoodOfReoffending, Self.likelihoods.contains(likelihood) {
            document.assessment.likelihoodOfReoffending = likelihood
            risk.likelihoodOfReoffending = likelihood
            completed.append("LikelihoodOfReoffending")
        }
        if gaps.contains("YOGRS"), let yogrs = value.yogrs.flatMap({ Int($0) }), (0...100).contains(yogrs) {
            document.assessment.yogrs = yogrs
            risk.yogrs = yogrs
            completed.append("YOGRS")
        }
        if gaps.contains("MAPPA"), let category = value.mappaCategory, let level = value.mappaLevel,
           Self.mappaValues.contains(category), Self.mappaValues.contains(level) {
            document.assessment.mappa = .init(category: category, level: level)
            risk.mappa = .init(category: category, level: level)
            completed.append("MAPPA")
        }
        if gaps.contains("CurrentDisposal"), let disposal = value.currentDisposal, disposal.count <= NOCOGenerator.maxText {
            document.currentDisposals.append(disposal)
            completed.append("CurrentDisposal")
        }
        if gaps.contains("Transition"), value.specificNeeds != nil || value.transitionHelp != nil,
           (value.specificNeeds?.count ?? 0) <= NOCOGenerator.maxText, (value.transitionHelp?.count ?? 0) <= NOCOGenerator.maxText {
            document.transition = .init(CaseRecord.Transition(
                continuingServices: [], endingServices: [], unclearServices: [], specificNeeds: value.specificNeeds,
                supervisionForms: nil, interventionsToAvoid: nil, changeOfSupervisor: nil, adultEnvironment: nil,
                transitionHelp: value.transitionHelp))
            completed.append("Transition")
        }
        if let name = value.contactName, name.count <= NOCOGenerator.maxText {
            document.from.contact = .init(name: name, phone: value.contactPhone, email: value.contactEmail)
            completed.append("Contact")
        }
        document.gaps.removeAll { completed.contains($0.field) }
        var completedRecord = record
        completedRecord.risk = risk
        document.receiverActions = rules.compactMap { $0.action(for: completedRecord, kind: generated.kind) }
        return (document, completed)
    }
}
