public import XMLSupport
public import Findings

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

    /// What the id rules need to know of each Offence, Incident and Episode id: a few bytes an
    /// id, so that validating a document with a million offences does not keep the offences.
    public struct IdInfo {
        public enum Kind: UInt8 { case offence, incident, episode }
        public var kind: Kind
        public var outstanding = false
        /// An offence whose outcome removes it from assessment.
        public var removing = false
        public var line: Int32
    }

    /// The root with its remaining children: Stage, YoungPerson, CoreRecord/Flags,
    /// InformationGathering, ExplanationsConclusions/Judgements, Modules...
    public var root: XMLElement?
    /// The header, read as soon as it ends: the per-item date rules need GeneratedAt.
    public var headerElement: XMLElement?
    /// Every Offence, Incident and Episode id (trimmed), in one id space; compact past 65,536
    /// ids (`AssetPlusIdTable`).
    var ids = AssetPlusIdTable()
    /// Findings of the rules checked item by item while the document streams past.
    public var itemFindings: [Finding] = []
    /// Episode members not yet known when their episode ended (a later episode's id, or none).
    public var pendingMembers: [(episode: AssetPlusDocument.Episode, member: String)] = []
    /// The full lists, kept only when converting (the case record needs them).
    public var offences: [Offence] = []
    public var incidents: [Incident] = []
    public var episodes: [Episode] = []
    public var factors: [Factor] = []
    public var targets: [Target] = []
    public var lifeEvents: [Dated] = []
    public var attachedDocuments: [XMLElement] = []

    public var header: XMLElement? { headerElement ?? root?.child("Header") }
    public var stage: XMLElement? { root?.child("Stage") }
    public var youngPerson: XMLElement? { root?.child("YoungPerson") }
    public var flags: XMLElement? { root?.child("CoreRecord")?.child("Flags") }
    public var judgements: XMLElement? { root?.child("ExplanationsConclusions")?.child("Judgements") }
    public var modules: XMLElement? { root?.child("Modules") }
}
