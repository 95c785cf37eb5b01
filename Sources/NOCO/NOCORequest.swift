public import Foundation

/// The transfer's own details, which the case record does not hold: who sends, who receives,
/// the package id and the moment of generation (injected, so that tests are deterministic).
public struct NOCORequest: Sendable, Hashable {
    /// The transfer package's id; any case is accepted and written lower-case.
    public var transferId: String
    public var kind: NOCOKind
    /// The sending YOT. Usually the case record's `source.organisation`, plus a contact.
    public var from: NOCODocument.Sender
    public var to: NOCODocument.Recipient
    public var generatedAt: Date

    public init(transferId: String, kind: NOCOKind, from: NOCODocument.Sender, to: NOCODocument.Recipient, generatedAt: Date) {
        self.transferId = transferId
        self.kind = kind
        self.from = from
        self.to = to
        self.generatedAt = generatedAt
    }

    /// A new random transfer id, lower-case as the contract's `uuid`.
    public static func newTransferId() -> String {
        UUID().uuidString.lowercased()
    }

    /// True for a UUID in the 8-4-4-4-12 hex form (either case).
    public static func isTransferId(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) && $0.allSatisfy(\.isASCII) }
    }

    /// `xs:dateTime` in UTC at whole seconds, e.g. `2016-05-02T10:00:00Z`.
    public static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ n: Int?, _ width: Int = 2) -> String {
            let s = String(n ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }
}
