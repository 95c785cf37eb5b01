/// One young person's assessment, whichever framework it came from: the Y2A portal feed.
///
/// Encodes exactly to the case record JSON of the interchange contract (`case-record.md`):
/// key names, value spellings, `null` for what the source lacks. Keys added by this project
/// (never renaming, dropping or retyping the contract's) are marked "project key".
public struct CaseRecord: Codable, Sendable, Hashable {
    public static let schemaIdentifier = "y2a-case/1"

    public var schema: String = CaseRecord.schemaIdentifier
    public var source: Source
    public var person: Person
    public var assessment: Assessment
    public var risk: Risk
    public var needs: [Need]
    public var offences: [Offence]
    /// Project key: AssetPlus anti-social behaviour incidents (`[]` for Asset).
    public var incidents: [Incident]
    /// Project key: AssetPlus episodes grouping offences or incidents (`[]` for Asset).
    public var episodes: [Episode]
    /// Project key: Asset's positive factors (`[]` for AssetPlus, which has factors for desistance).
    public var positiveFactors: [String]
    public var plan: Plan
    @Nullable public var transition: Transition?
    @Nullable public var yotTransfer: YotTransfer?
    public var documents: [Document]
    public var diagnostics: [Diagnostic]

    public init(
        source: Source, person: Person, assessment: Assessment, risk: Risk, needs: [Need],
        offences: [Offence], incidents: [Incident] = [], episodes: [Episode] = [],
        positiveFactors: [String] = [], plan: Plan, transition: Transition?, yotTransfer: YotTransfer?,
        documents: [Document], diagnostics: [Diagnostic]
    ) {
        self.source = source
        self.person = person
        self.assessment = assessment
        self.risk = risk
        self.needs = needs
        self.offences = offences
        self.incidents = incidents
        self.episodes = episodes
        self.positiveFactors = positiveFactors
        self.plan = plan
        self.transition = transition
        self.yotTransfer = yotTransfer
        self.documents = documents
        self.diagnostics = diagnostics
    }
}

extension CaseRecord {
    public struct Organisation: Codable, Sendable, Hashable {
        public var code: String
        public var name: String
        public init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }

    public struct Source: Codable, Sendable, Hashable {
        public var format: Framework
        public var fileName: String
        public var documentId: String
        public var organisation: Organisation
        @Nullable public var sourceSystem: String?
        public var exportedAt: String
        public var sha256: String

        public init(format: Framework, documentId: String, organisation: Organisation, sourceSystem: String?, exportedAt: String, sha256: String) {
            self.format = format
            self.fileName = format.fileName
            self.documentId = documentId
            self.organisation = organisation
            self.sourceSystem = sourceSystem
            self.exportedAt = exportedAt
            self.sha256 = sha256
        }
    }

    public struct Person: Codable, Sendable, Hashable {
        @Nullable public var id: String?
        @Nullable public var pnc: String?
        @Nullable public var cro: String?
        public var familyName: String
        public var givenNames: String
        public var dateOfBirth: String
        public var gender: String
        public var lookedAfter: String

        public init(id: String?, pnc: String?, cro: String?, familyName: String, givenNames: String, dateOfBirth: String, gender: String, lookedAfter: String) {
            self.id = id
            self.pnc = pnc
            self.cro = cro
            self.familyName = familyName
            self.givenNames = givenNames
            self.dateOfBirth = dateOfBirth
            self.gender = gender
            self.lookedAfter = lookedAfter
        }
    }

    public struct Countersignature: Codable, Sendable, Hashable {
        public var section: String
        public var managerName: String
        public var signedOn: String
        public init(section: String, managerName: String, signedOn: String) {
            self.section = section
            self.managerName = managerName
            self.signedOn = signedOn
        }
    }

    public struct Assessment: Codable, Sendable, Hashable {
        public var stage: String
        public var status: String
        @Nullable public var transferStatus: TransferStatus?
        public var assessedOn: String
        public var caseType: CaseType
        public var countersignedBy: [Countersignature]

        public init(stage: String, status: String, transferStatus: TransferStatus?, assessedOn: String, caseType: CaseType, countersignedBy: [Countersignature]) {
            self.stage = stage
            self.status = status
            self.transferStatus = transferStatus
            self.assessedOn = assessedOn
            self.caseType = caseType
            self.countersignedBy = countersignedBy
        }
    }

    public struct MAPPA: Codable, Sendable, Hashable {
        public var category: String
        public var level: String
        public init(category: String, level: String) {
            self.category = category
            self.level = level
        }
    }

    public struct Flags: Codable, Sendable, Hashable {
        @Nullable public var gangAssociation: String?
        @Nullable public var riskToChildren: String?
        @Nullable public var riskOfSelfHarm: String?
        @Nullable public var staffSafety: String?
        @Nullable public var previousIncidents: String?
        @Nullable public var childProtectionPlan: String?

        public init(gangAssociation: String? = nil, riskToChildren: String? = nil, riskOfSelfHarm: String? = nil, staffSafety: String? = nil, previousIncidents: String? = nil, childProtectionPlan: String? = nil) {
            self.gangAssociation = gangAssociation
            self.riskToChildren = riskToChildren
            self.riskOfSelfHarm = riskOfSelfHarm
            self.staffSafety = staffSafety
            self.previousIncidents = previousIncidents
            self.childProtectionPlan = childProtectionPlan
        }

        /// The flags that are raised (answered Yes, or a plan that is Current or Previous), in contract order.
        public var raised: [String] {
            var names: [String] = []
            if gangAssociation == "Yes" { names.append("GangAssociation") }
            if riskToChildren == "Yes" { names.append("RiskToChildren") }
            if riskOfSelfHarm == "Yes" { names.append("RiskOfSelfHarm") }
            if staffSafety == "Yes" { names.append("StaffSafety") }
            if previousIncidents == "Yes" { names.append("PreviousIncidents") }
            if childProtectionPlan == "Current" || childProtectionPlan == "Previous" { names.append("ChildProtectionPlan") }
            return names
        }
    }

    public struct Risk: Codable, Sendable, Hashable {
        public var riskOfSeriousHarm: String
        @Nullable public var likelihoodOfReoffending: String?
        public var safetyAndWellbeing: String
        @Nullable public var yogrs: Int?
        /// `null` when the source records no MAPPA at all (an Asset document without `MAPPA`).
        @Nullable public var mappa: MAPPA?
        @Nullable public var scaledApproach: String?
        public var flags: Flags

        public init(riskOfSeriousHarm: String, likelihoodOfReoffending: String?, safetyAndWellbeing: String, yogrs: Int?, mappa: MAPPA?, scaledApproach: String?, flags: Flags) {
            self.riskOfSeriousHarm = riskOfSeriousHarm
            self.likelihoodOfReoffending = likelihoodOfReoffending
            self.safetyAndWellbeing = safetyAndWellbeing
            self.yogrs = yogrs
            self.mappa = mappa
            self.scaledApproach = scaledApproach
            self.flags = flags
        }
    }

    public struct Factor: Codable, Sendable, Hashable {
        public var text: String
        public var strength: String
        public init(text: String, strength: String) {
            self.text = text
            self.strength = strength
        }
    }

    public struct Need: Codable, Sendable, Hashable {
        public var area: NeedArea
        @Nullable public var assetScore: Int?
        /// Project key: the Asset section evidence behind the score (`null` for AssetPlus).
        @Nullable public var assetEvidence: String?
        public var factorsFor: [Factor]
        public var factorsAgainst: [Factor]

        public init(area: NeedArea, assetScore: Int?, assetEvidence: String? = nil, factorsFor: [Factor], factorsAgainst: [Factor]) {
            self.area = area
            self.assetScore = assetScore
            self.assetEvidence = assetEvidence
            self.factorsFor = factorsFor
            self.factorsAgainst = factorsAgainst
        }
    }

    public struct Offence: Codable, Sendable, Hashable {
        /// Project key: AssetPlus `@id`, Asset `@seq`.
        @Nullable public var id: String?
        public var description: String
        public var date: String
        @Nullable public var status: String?
        @Nullable public var outcome: String?

        public init(id: String?, description: String, date: String, status: String?, outcome: String?) {
            self.id = id
            self.description = description
            self.date = date
            self.status = status
            self.outcome = outcome
        }
    }

    /// Project type: an AssetPlus anti-social behaviour incident.
    public struct Incident: Codable, Sendable, Hashable {
        public var id: String
        public var description: String
        public var date: String
        public var status: String
        public init(id: String, description: String, date: String, status: String) {
            self.id = id
            self.description = description
            self.date = date
            self.status = status
        }
    }

    /// Project type: an AssetPlus episode (`kind` Offending or AntiSocialBehaviour).
    public struct Episode: Codable, Sendable, Hashable {
        public var id: String
        public var kind: String
        public var status: String
        public var members: [String]
        public init(id: String, kind: String, status: String, members: [String]) {
            self.id = id
            self.kind = kind
            self.status = status
            self.members = members
        }
    }

    public struct Target: Codable, Sendable, Hashable {
        public var text: String
        public var keyAreas: [String]
        @Nullable public var dueBy: String?
        public init(text: String, keyAreas: [String], dueBy: String?) {
            self.text = text
            self.keyAreas = keyAreas
            self.dueBy = dueBy
        }
    }

    public struct Plan: Codable, Sendable, Hashable {
        public var targets: [Target]
        public init(targets: [Target]) { self.targets = targets }
    }

    public struct Service: Codable, Sendable, Hashable {
        public var name: String
        public var detail: String
        @Nullable public var date: String?
        /// Project key: who leads an unclear service's negotiations (`null` elsewhere).
        @Nullable public var lead: String?
        public init(name: String, detail: String, date: String?, lead: String? = nil) {
            self.name = name
            self.detail = detail
            self.date = date
            self.lead = lead
        }
    }

    public struct Transition: Codable, Sendable, Hashable {
        public var continuingServices: [Service]
        public var endingServices: [Service]
        public var unclearServices: [Service]
        @Nullable public var specificNeeds: String?
        @Nullable public var supervisionForms: String?
        @Nullable public var interventionsToAvoid: String?
        @Nullable public var changeOfSupervisor: String?
        @Nullable public var adultEnvironment: String?
        @Nullable public var transitionHelp: String?

        public init(continuingServices: [Service], endingServices: [Service], unclearServices: [Service], specificNeeds: String?, supervisionForms: String?, interventionsToAvoid: String?, changeOfSupervisor: String?, adultEnvironment: String?, transitionHelp: String?) {
            self.continuingServices = continuingServices
            self.endingServices = endingServices
            self.unclearServices = unclearServices
            self.specificNeeds = specificNeeds
            self.supervisionForms = supervisionForms
            self.interventionsToAvoid = interventionsToAvoid
            self.changeOfSupervisor = changeOfSupervisor
            self.adultEnvironment = adultEnvironment
            self.transitionHelp = transitionHelp
        }
    }

    public struct YotTransfer: Codable, Sendable, Hashable {
        public var receivingYot: Organisation
        public var reason: String
        @Nullable public var caretaking: Bool?
        public init(receivingYot: Organisation, reason: String, caretaking: Bool?) {
            self.receivingYot = receivingYot
            self.reason = reason
            self.caretaking = caretaking
        }
    }

    public struct Document: Codable, Sendable, Hashable {
        public var fileName: String
        public var mediaType: String
        public var sha256: String
        public init(fileName: String, mediaType: String, sha256: String) {
            self.fileName = fileName
            self.mediaType = mediaType
            self.sha256 = sha256
        }
    }

    public struct Diagnostic: Codable, Sendable, Hashable {
        public var code: String
        public var severity: String
        public var message: String
        @Nullable public var line: Int?
        public init(code: String, severity: String, message: String, line: Int?) {
            self.code = code
            self.severity = severity
            self.message = message
            self.line = line
        }
    }
}
