public import Foundation
import XMLSupport

/// What a person needs first from a NOCO.xml that came with a case: the actions left to the
/// receiver, the gaps the sender could not fill, and the raised flags.
public struct ReceivedNOCO: Sendable, Hashable {
    public var transferId: String?
    public var receiverActions: [String] = []
    public var gaps: [(field: String, reason: String)] = []
    public var raisedFlags: [String] = []
    /// The NOCO's `AgeOnTransfer` as the sender wrote it (`nil` when absent or not a number).
    public var statedAge: Int?
    /// Where the NOCO.xml itself can be downloaded.
    public var link: String

    public static func == (lhs: ReceivedNOCO, rhs: ReceivedNOCO) -> Bool {
        lhs.transferId == rhs.transferId && lhs.receiverActions == rhs.receiverActions && lhs.raisedFlags == rhs.raisedFlags
            && lhs.statedAge == rhs.statedAge
            && lhs.gaps.map(\.field) == rhs.gaps.map(\.field) && lhs.link == rhs.link
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(transferId)
        hasher.combine(receiverActions)
    }

    /// Reads a stored NOCO.xml (it passed its XSD on import; read again with the same safe reader).
    public init?(xml: Data, link: String) {
        self.link = link
        var actions: [String] = []
        var gaps: [(String, String)] = []
        var flags: [String] = []
        var transferId: String?
        var statedAge: Int?
        let split: Set<String> = ["NOCO/ReceiverAction", "NOCO/Gap", "NOCO/RaisedFlag", "NOCO/TransferId", "NOCO/YoungPerson/AgeOnTransfer"]
        let builder = SubtreeBuilder(split: split) { path, element in
            switch path {
            case "NOCO/ReceiverAction": actions.append(element.text)
            case "NOCO/Gap": gaps.append((element[attribute: "field"] ?? "", element.text))
            case "NOCO/RaisedFlag": flags.append(element.text)
            case "NOCO/TransferId": transferId = element.text
            case "NOCO/YoungPerson/AgeOnTransfer": statedAge = Int(element.text)
            default: break
            }
        }
        guard let result = try? XMLStreamReader().read(.data(Array(xml), name: "NOCO.xml"), schema: nil, handler: builder),
              result.isValid, result.root?.localName == "NOCO"
        else { return nil }
        self.transferId = transferId
        self.receiverActions = actions
        self.gaps = gaps
        self.raisedFlags = flags
        self.statedAge = statedAge
    }
}
