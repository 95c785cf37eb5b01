public import CaseRecord

/// The NOCO template as a value: the notification that travels with a transfer (`noco.md`).
///
/// Built by `NOCOGenerator` from a case record and the transfer's own details; written as
/// NOCO.xml by `xmlData()` and rendered for people by `NOCOTemplate`. Property names follow the
/// Swift model; the XML element names live in `NOCODocument+XML.swift` only.
public struct NOCODocument: Codable, Sendable, Hashable {
    public static let namespace = "urn:y2a:noco:1"
    public static let version = "1"

    /// The transfer package's id: a lower-case UUID.
    public var transferId: String
    /// `xs:dateTime` in UTC, seconds precision (`2016-05-02T10:00:00Z`).
    public var generatedAt: String
    public var kind: NOCOKind
    public var from: Sender
    public var to: Recipient
    public var youngPerson: YoungPerson
    public var assessment: Assessment
    /// Each current offence's disposal, with the offence: `"<outcome>: <description>"`.
    public var currentDisposals: [String]
    /// `CaseRecord.Flags.raised`, in contract order.
    public var raisedFlags: [String]
    public var transition: Transition?
    public var receiverActions: [ReceiverAction]
    public var gaps: [Gap]

    public init(
        transferId: String, generatedAt: String, kind: NOCOKind, from: Sender, to: Recipient,
        youngPerson: YoungPerson, assessment: Assessment, currentDisposals: [String], raisedFlags: [String],
        transition: Transition?, receiverActions: [ReceiverAction], gaps: [Gap]
    ) {
        self.transferId = transferId
        self.generatedAt = generatedAt
        self.kind = kind
        self.from = from
        self.to = to
        self.youngPerson = youngPerson
        self.assessment = assessment
        self.currentDisposals = currentDisposals
        self.raisedFlags = raisedFlags
        self.transition = transition
        self.receiverActions = receiverActions
        self.gaps = gaps
    }
}

extension NOCODocument {
    /// The sending YOT, and optionally the person to contact there.
    public struct Sender: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
        public var contact: Contact?

        public init(code: String, name: String, contact: Contact? = nil) {
            self.code = code
            self.name = name
            self.contact = contact
        }
    }

    /// A person at the sending YOT the receiver can call.
    public struct Contact: Codable, Sendable, Hashable {
        public var name: String
        public var phone: String?
        public var email: String?

        public init(name: String, phone: String? = nil, email: String? = nil) {
            self.name = name
            self.phone = phone
            self.email = email
        }
    }

    /// The receiving probation area or YOT.
    public struct Recipient: Codable, Sendable, Hashable {
        public var code: String
        public var name: String

        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    public struct YoungPerson: Codable, Sendable, Hashable {
        public var personId: String
        public var pnc: String?
        public var familyName: String
        public var givenNames: String
        public var dateOfBirth: String
        /// Whole years on the date of `generatedAt`.
        public var ageOnTransfer: Int
        public var lookedAfter: String

        public init(personId: String, pnc: String?, familyName: String, givenNames: String, dateOfBirth: String, ageOnTransfer: Int, lookedAfter: String) {
            self.personId = personId
            self.pnc = pnc
            self.familyName = familyName
            self.givenNames = givenNames
            self.dateOfBirth = dateOfBirth
            self.ageOnTransfer = ageOnTransfer
            self.lookedAfter = lookedAfter
        }
    }

    public struct Assessment: Codable, Sendable, Hashable {
        public var framework: Framework
        public var fileName: String
        public var stage: String
        public var assessedOn: String
        public var riskOfSeriousHarm: String
        public var likelihoodOfReoffending: String?
        public var safetyAndWellbeing: String
        public var yogrs: Int?
        public var mappa: CaseRecord.MAPPA?

        public init(framework: Framework, fileName: String, stage: String, assessedOn: String, riskOfSeriousHarm: String, likelihoodOfReoffending: String?, safetyAndWellbeing: String, yogrs: Int?, mappa: CaseRecord.MAPPA?) {
            self.framework = framework
            self.fileName = fileName
            self.stage = stage
            self.assessedOn = assessedOn
            self.riskOfSeriousHarm = riskOfSeriousHarm
            self.likelihoodOfReoffending = likelihoodOfReoffending
            self.safetyAndWellbeing = safetyAndWellbeing
            self.yogrs = yogrs
            self.mappa = mappa
        }
    }

    /// A service named in the youth-to-adult section, with what happens to it.
    public struct Service: Codable, Sendable, Hashable {
        public var name: String
        public var detail: String

        public init(name: String, detail: String) {
            self.name = name
            self.detail = detail
        }
    }

    /// The youth-to-adult section, copied from the case record.
    public struct Transition: Codable, Sendable, Hashable {
        public var continuingServices: [Service]
        public var endingServices: [Service]
        public var unclearServices: [Service]
        public var specificNeeds: String?
        public var supervisionForms: String?
        public var interventionsToAvoid: String?
        public var changeOfSupervisor: String?
        public var adultEnvironment: String?
        public var transitionHelp: String?

        /// Copies the record's section; a service's date and lead have no place in the NOCO.
        public init(_ transition: CaseRecord.Transition) {
            func services(_ list: [CaseRecord.Service]) -> [Service] {
                list.map { Service(name: $0.name, detail: $0.detail) }
            }
            continuingServices = services(transition.continuingServices)
            endingServices = services(transition.endingServices)
            unclearServices = services(transition.unclearServices)
            specificNeeds = transition.specificNeeds
            supervisionForms = transition.supervisionForms
            interventionsToAvoid = transition.interventionsToAvoid
            changeOfSupervisor = transition.changeOfSupervisor
            adultEnvironment = transition.adultEnvironment
            transitionHelp = transition.transitionHelp
        }
    }

    /// Something the receiver must still do, and the rule that asked for it.
    public struct ReceiverAction: Codable, Sendable, Hashable {
        /// The `ReceiverActionRule` id, e.g. `RA-MAPPA-LEVEL`.
        public var rule: String
        public var text: String

        public init(rule: String, text: String) {
            self.rule = rule
            self.text = text
        }
    }

    /// A field the template wants and the source lacks: the sender completes it by hand.
    public struct Gap: Codable, Sendable, Hashable {
        /// The NOCO element that could not be filled, e.g. `MAPPA`.
        public var field: String
        /// Why, in plain words, with no personal data.
        public var reason: String

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }
}
