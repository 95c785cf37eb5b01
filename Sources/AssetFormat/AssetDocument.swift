public import XMLSupport
public import CaseRecord

/// A legacy Asset.XML document as read from the stream.
public struct AssetDocument {
    public static let namespace = "urn:y2a:asset:1"
    public static let rootName = "Asset"
    public static let schemaFileName = "asset.xsd"

    /// Core profile sections: fixed number, name and canonical need area (asset.md).
    public static let sections: [(name: String, area: NeedArea)] = [
        ("LivingArrangements", .livingArrangements),
        ("FamilyAndPersonalRelationships", .familyRelationships),
        ("EducationTrainingEmployment", .lete),
        ("Neighbourhood", .lifestyleNeighbourhood),
        ("Lifestyle", .lifestyleNeighbourhood),
        ("SubstanceUse", .substanceUse),
        ("PhysicalHealth", .physicalHealth),
        ("EmotionalAndMentalHealth", .emotionalMentalHealth),
        ("PerceptionOfSelfAndOthers", .thinkingBehaviour),
        ("ThinkingAndBehaviour", .thinkingBehaviour),
        ("AttitudesToOffending", .attitudesToOffending),
        ("MotivationToChange", .resilienceGoals),
    ]

    public struct Offence {
        public var seq: String
        public var date: String
        public var description: String
        public var outcome: String?
        public var line: Int
    }

    public struct Section {
        public var number: Int?
        public var name: String
        public var score: Int?
        public var evidence: String
        public var line: Int
    }

    /// The root with its remaining children (Form, Subject, CoreProfile/TotalScore, ...).
    public var root: XMLElement?
    public var offences: [Offence] = []
    public var sections: [Section] = []

    public var form: XMLElement? { root?.child("Form") }
    public var subject: XMLElement? { root?.child("Subject") }
}

/// Collects an `AssetDocument` from the element stream.
public final class AssetReader {
    public private(set) var document = AssetDocument()
    public private(set) var handler: SubtreeBuilder! = nil
    private let keepText: Bool

    public init(keepText: Bool) {
        self.keepText = keepText
        // Validation needs no free text: offence descriptions and outcomes are skipped undecoded.
        let skip: Set<String> = keepText ? [] : ["Asset/Offences/Offence/Description", "Asset/Offences/Offence/Outcome", "Asset/PositiveFactors"]
        handler = SubtreeBuilder(split: ["Asset/Offences/Offence", "Asset/CoreProfile/Section"], skip: skip) { [unowned self] path, element in
            self.take(path, element)
        }
    }

    private func take(_ path: String, _ element: XMLElement) {
        switch path {
        case "Asset/Offences/Offence":
            document.offences.append(.init(
                seq: element[attribute: "seq"] ?? "", date: element.text(of: "Date") ?? "",
                description: keepText ? element.text(of: "Description") ?? "" : "",
                outcome: element.text(of: "Outcome"),
                line: element.line))
        case "Asset/CoreProfile/Section":
            document.sections.append(.init(
                number: element[attribute: "no"].flatMap { Int($0) }, name: element[attribute: "name"] ?? "",
                score: element[attribute: "score"].flatMap { Int($0) }, evidence: keepText ? element.text : "",
                line: element.line))
        case "Asset":
            document.root = element
        default:
            break
        }
    }
}
