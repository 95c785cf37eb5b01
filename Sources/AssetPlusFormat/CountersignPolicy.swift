public import Foundation

/// When a completed AssetPlus stage needs a manager's countersignature (AP-COUNTERSIGN).
///
/// The triggers are local configuration: a YOT can change them in a JSON policy file. The
/// defaults are the contract's.
public struct CountersignPolicy: Codable, Sendable, Hashable {
    /// RoSH values that need countersignature.
    public var riskOfSeriousHarm: Set<String>
    /// Safety and well-being values that need countersignature.
    public var safetyWellbeing: Set<String>
    /// A MAPPA category other than None needs countersignature.
    public var mappaCategoryNotNone: Bool
    /// Child protection plan values that need countersignature.
    public var childProtectionPlan: Set<String>
    /// An indicative likelihood of reoffending that the practitioner changed needs countersignature.
    public var likelihoodOverride: Bool
    /// A Scaled Approach override needs the PathwaysPlanning countersignature.
    public var scaledApproachOverride: Bool

    public init(
        riskOfSeriousHarm: Set<String> = ["High", "VeryHigh"],
        safetyWellbeing: Set<String> = ["High", "VeryHigh"],
        mappaCategoryNotNone: Bool = true,
        childProtectionPlan: Set<String> = ["Current", "Previous"],
        likelihoodOverride: Bool = true,
        scaledApproachOverride: Bool = true
    ) {
        self.riskOfSeriousHarm = riskOfSeriousHarm
        self.safetyWellbeing = safetyWellbeing
        self.mappaCategoryNotNone = mappaCategoryNotNone
        self.childProtectionPlan = childProtectionPlan
        self.likelihoodOverride = likelihoodOverride
        self.scaledApproachOverride = scaledApproachOverride
    }

    public static let contractDefault = CountersignPolicy()

    /// Reads a policy file; keys left out keep their defaults.
    public static func load(from url: URL) throws -> CountersignPolicy {
        try JSONDecoder().decode(CountersignPolicy.self, from: Data(contentsOf: url))
    }

    private enum CodingKeys: String, CodingKey {
        case riskOfSeriousHarm, safetyWellbeing, mappaCategoryNotNone, childProtectionPlan, likelihoodOverride, scaledApproachOverride
    }

    public init(from decoder: any Decoder) throws {
        let defaults = CountersignPolicy()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        riskOfSeriousHarm = try c.decodeIfPresent(Set<String>.self, forKey: .riskOfSeriousHarm) ?? defaults.riskOfSeriousHarm
        safetyWellbeing = try c.decodeIfPresent(Set<String>.self, forKey: .safetyWellbeing) ?? defaults.safetyWellbeing
        mappaCategoryNotNone = try c.decodeIfPresent(Bool.self, forKey: .mappaCategoryNotNone) ?? defaults.mappaCategoryNotNone
        childProtectionPlan = try c.decodeIfPresent(Set<String>.self, forKey: .childProtectionPlan) ?? defaults.childProtectionPlan
        likelihoodOverride = try c.decodeIfPresent(Bool.self, forKey: .likelihoodOverride) ?? defaults.likelihoodOverride
        scaledApproachOverride = try c.decodeIfPresent(Bool.self, forKey: .scaledApproachOverride) ?? defaults.scaledApproachOverride
    }
}
