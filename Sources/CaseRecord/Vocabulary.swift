/// The assessment framework a document came from.
public enum Framework: String, Codable, Sendable, Hashable, CaseIterable {
    case asset = "Asset"
    case assetPlus = "AssetPlus"

    /// The file name the Y2A Documents section shows for this framework.
    public var fileName: String {
        switch self {
        case .asset: "Asset.XML"
        case .assetPlus: "AssetPlus.XML"
        }
    }
}

/// Where a case stands in the transfer process (sender side).
public enum TransferStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case awaiting, transferred, rejected, accepted
}

/// What kind of transfer a package (and its NOCO) is: to another YOT, or to adult probation.
public enum TransferKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A case moving from one YOT to another.
    case yotToYot = "YotToYot"
    /// A young person moving from the YOT to adult probation.
    case youthToAdult = "YouthToAdult"

    /// Plain-words title for people.
    public var title: String {
        switch self {
        case .youthToAdult: "Youth to adult"
        case .yotToYot: "YOT to YOT"
        }
    }
}

/// Prevention, out-of-court or statutory: derived as the contract says.
public enum CaseType: String, Codable, Sendable, Hashable {
    case prevention = "Prevention"
    case outOfCourt = "OutOfCourt"
    case statutory = "Statutory"
}

/// The canonical need areas, in the contract's FactorCategory order.
public enum NeedArea: String, Codable, Sendable, Hashable, CaseIterable {
    case lete = "LETE"
    case parentingCareSupervision = "ParentingCareSupervision"
    case familyRelationships = "FamilyRelationships"
    case livingArrangements = "LivingArrangements"
    case lifestyleNeighbourhood = "LifestyleNeighbourhood"
    case substanceUse = "SubstanceUse"
    case physicalHealth = "PhysicalHealth"
    case emotionalMentalHealth = "EmotionalMentalHealth"
    case speechLanguageCommunication = "SpeechLanguageCommunication"
    case thinkingBehaviour = "ThinkingBehaviour"
    case attitudesToOffending = "AttitudesToOffending"
    case resilienceGoals = "ResilienceGoals"

    /// Plain-words title for people.
    public var title: String {
        switch self {
        case .lete: "Learning, education, training and employment"
        case .parentingCareSupervision: "Parenting, care and supervision"
        case .familyRelationships: "Family and personal relationships"
        case .livingArrangements: "Living arrangements, housing and finance"
        case .lifestyleNeighbourhood: "Lifestyle and neighbourhood"
        case .substanceUse: "Substance use"
        case .physicalHealth: "Physical health"
        case .emotionalMentalHealth: "Emotional and mental health"
        case .speechLanguageCommunication: "Speech, language and communication"
        case .thinkingBehaviour: "Thinking and behaviour"
        case .attitudesToOffending: "Attitudes to offending"
        case .resilienceGoals: "Resilience and goals"
        }
    }
}
