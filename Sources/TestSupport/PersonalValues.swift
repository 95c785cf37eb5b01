public import Foundation

/// The personal values of the samples (names, dates of birth, offence descriptions): what no
/// finding, message or log line may ever contain.
public enum PersonalValues {
    public static let tags = ["FamilyName", "GivenNames", "DateOfBirth", "Surname", "Forenames", "DOB", "Description"]

    /// Every value of at least four characters held in one of `tags` in the given XML.
    public static func values(in xml: String) -> Set<String> {
        var values = Set<String>()
        for tag in tags {
            for match in xml.matches(of: try! Regex("<\(tag)>([^<]{4,})</\(tag)>")) {
                if let value = match.output[1].substring { values.insert(String(value)) }
            }
        }
        return values
    }

    /// The personal values of every sample.
    public static var ofSamples: Set<String> {
        var values = Set<String>()
        for name in Fixtures.sampleNames {
            guard let xml = try? String(contentsOfFile: Fixtures.sample(name), encoding: .utf8) else { continue }
            values.formUnion(Self.values(in: xml))
        }
        return values
    }

    /// The value, or any capitalised word of it of four letters or more (a name; a message may
    /// quote part of a value), found in `text`.
    public static func leaked(_ value: String, in text: String) -> Bool {
        if text.contains(value) { return true }
        for part in value.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") })
        where part.count >= 4 && (part.first?.isUppercase ?? false) {
            if text.contains(part) { return true }
        }
        return false
    }
}
