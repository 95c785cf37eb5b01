/// Removes every document value from a libxml2 message, keeping what names the schema:
/// element and attribute names, facet names, types, patterns and enumeration sets.
///
/// libxml2 quotes both kinds in single quotes (`Element 'DateOfBirth': '01/06/1998' is not a
/// valid value of the atomic type 'xs:date'`), so each quoted segment is kept only when the
/// words before it say it is a schema name. A value it cannot place is withheld: a wrongly
/// withheld name costs a little clarity; a wrongly kept value would leak a child's data.
enum MessageRedaction {
    static let withheld = "(value withheld)"

    private static let keepAfter = [
        "Element", "element", "attribute", "Attribute", "facet", "pattern", "type", "length of",
        "maximum length of", "minimum length of", "allowed (", "Expected is (", "Expected is one of (",
        "content type is", "union type", "list type", "Entity", "declaration of",
        "total digits", "digits of", "expected",
    ]

    static func redact(_ message: String) -> String {
        var text = message.trimmingTrailingNewlines()
        text = stripNamespaces(text)
        text = dropByteDump(text)
        var output = ""
        var index = text.startIndex
        var braceDepth = 0
        while index < text.endIndex {
            let character = text[index]
            if character == "{" { braceDepth += 1 }
            if character == "}" { braceDepth = max(0, braceDepth - 1) }
            guard character == "'" , let close = text[text.index(after: index)...].firstIndex(of: "'") else {
                output.append(character)
                index = text.index(after: index)
                continue
            }
            let segment = text[index...close]
            if braceDepth > 0 || keeps(before: output) {
                output += segment
            } else {
                output += withheld
            }
            index = text.index(after: close)
        }
        return output
    }

    private static func keeps(before prefix: String) -> Bool {
        let trimmed = prefix.hasSuffix(" ") ? String(prefix.dropLast()) : prefix
        return keepAfter.contains { trimmed.hasSuffix($0) }
    }

    /// `{urn:y2a:assetplus:1}Gender` → `Gender`: the namespace is the same for every element.
    private static func stripNamespaces(_ text: String) -> String {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "{", let close = text[index...].firstIndex(of: "}"),
               text[index..<close].contains(":"), !text[index..<close].contains(" " as Character)
            {
                index = text.index(after: close)
                continue
            }
            output.append(text[index])
            index = text.index(after: index)
        }
        return output
    }

    /// Encoding errors end with `Bytes: 0x.. 0x..`: raw bytes of the document.
    private static func dropByteDump(_ text: String) -> String {
        guard let range = text.firstRange(of: "Bytes:") else { return text }
        return String(text[..<range.lowerBound]).trimmingTrailingNewlines() + " " + withheld
    }
}
