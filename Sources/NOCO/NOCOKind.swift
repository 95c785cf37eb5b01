/// What kind of transfer a NOCO travels with.
public enum NOCOKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// A young person moving from the YOT to adult probation.
    case youthToAdult = "YouthToAdult"
    /// A case moving from one YOT to another.
    case yotToYot = "YotToYot"

    /// Plain-words title for people.
    public var title: String {
        switch self {
        case .youthToAdult: "Youth to adult"
        case .yotToYot: "YOT to YOT"
        }
    }
}
