public import Foundation

/// The one JSON form the gateway writes (case records, reports, findings notes, summaries):
/// sorted keys, pretty-printed, unescaped slashes, one trailing newline. The same value always
/// gives the same bytes, which golden files and exactly-once rewrites rely on.
public enum CanonicalJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}

extension CaseRecord {
    /// The portal feed's bytes: sorted keys, pretty-printed, one trailing newline; the same record
    /// always gives the same bytes, exactly those of `CanonicalJSON.encode(self)` (written by
    /// `CaseRecordJSONWriter`, several times faster than `JSONEncoder`).
    public func jsonData() throws -> Data {
        var writer = CaseRecordJSONWriter()
        writer.write(self)
        return Data(writer.bytes)
    }

    /// Reads a record written by `jsonData()`.
    public static func decode(_ data: Data) throws -> CaseRecord {
        try JSONDecoder().decode(CaseRecord.self, from: data)
    }

    /// True when both records describe the same young person (the contract's matching rule):
    /// PNCs match, or, where either has no PNC, names and date of birth all match
    /// (case-insensitive, whitespace-trimmed).
    public func isSamePerson(as other: CaseRecord) -> Bool {
        if let pnc = person.pnc, let otherPNC = other.person.pnc {
            return pnc == otherPNC
        }
        return person.matchKey == other.person.matchKey
    }
}

extension CaseRecord.Person {
    /// Normalised family name, given names and date of birth, for the no-PNC matching rule.
    public var matchKey: String {
        func clean(_ s: String) -> String {
            s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        }
        return [clean(familyName), clean(givenNames), clean(dateOfBirth)].joined(separator: "\u{1F}")
    }
}
