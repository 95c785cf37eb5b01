public import CaseStore
public import Foundation

/// The audit trail as CSV or JSON, for `y2a audit` and the auditor's export.
public enum AuditExport {
    public static let columns = ["id", "at", "actor", "accountId", "organisation", "action", "caseId", "transferId", "address", "outcome", "detail", "requestId"]

    public static func csv(_ events: [AuditEvent]) -> String {
        var out = columns.joined(separator: ",") + "\r\n"
        for event in events {
            let cells: [String] = [
                event.id.map(String.init) ?? "", event.at, event.actor, event.accountId.map(String.init) ?? "", event.organisationCode,
                event.action, event.caseId.map(String.init) ?? "", event.transferId ?? "", event.address ?? "", event.outcome,
                event.detail ?? "", event.requestId ?? "",
            ]
            out += cells.map(cell).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// RFC 4180 quoting; a cell a spreadsheet would read as a formula is prefixed with `'`.
    static func cell(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func json(_ events: [AuditEvent]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(events)
    }

    /// `YYYY-MM-DD` or a full ISO 8601 instant, as the trail's `at` compares; nil if neither.
    public static func since(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.count == 10, (try? Date(trimmed + "T00:00:00Z", strategy: .iso8601)) != nil { return trimmed + "T00:00:00Z" }
        if let date = try? Date(trimmed, strategy: .iso8601) { return AuditClock.format(date) }
        return nil
    }
}
