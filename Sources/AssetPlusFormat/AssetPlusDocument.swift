public import XMLSupport

/// An AssetPlus.XML document as read from the stream: the small sections as element
/// subtrees, the long lists as compact items (so a long offending history costs a few words
/// per offence, not a tree).
public struct AssetPlusDocument {
    public static let namespace = "urn:y2a:assetplus:1"
    public static let rootName = "AssetPlus"
    public static let schemaFileName = "assetplus.xsd"

    public struct Offence {
        public var id: String
        public var description: String
        public var date: String
        public var status: String
        public var outcome: String?
        public var line: Int
    }

    public struct Incident {
        public var id: String
        public var description: String
        public var date: String
        public var status: String
        public var line: Int
    }

    public struct Episode {
        public var id: String
        public var kind: String
        public var status: String
        public var members: [String]
        public var line: Int
    }

    public struct Factor {
        public var category: String
        public var direction: String
        public var strength: String
        public var text: String
    }

    public struct Target {
        public var text: String
        public var keyAreas: [String]
        public var dueBy: String?
    }

    public struct Dated {
        public var date: String
        public var line: Int
    }

    /// The root with its remaining children: Header, Stage, YoungPerson, CoreRecord/Flags,
    /// InformationGathering, ExplanationsConclusions/Judgements, Modules...
    public var root: XMLElement?
    public var offences: [Offence] = []
    public var incidents: [Incident] = []
    public var episodes: [Episode] = []
    public var factors: [Factor] = []
    public var targets: [Target] = []
    public var lifeEvents: [Dated] = []
    public var attachedDocuments: [XMLElement] = []

    public var header: XMLElement? { root?.child("Header") }
    public var stage: XMLElement? { root?.child("Stage") }
    public var youngPerson: XMLElement? { root?.child("YoungPerson") }
    public var flags: XMLElement? { root?.child("CoreRecord")?.child("Flags") }
    public var judgements: XMLElement? { root?.child("ExplanationsConclusions")?.child("Judgements") }
    public var modules: XMLElement? { root?.child("Modules") }
}
