/// Removes every document value and every document-made name from a libxml2 schema message,
/// keeping what names the schema: element and attribute names, facets, types, patterns and
/// enumeration sets (`SchemaVocabulary`).
///
/// Three layers, each failing closed:
/// 1. the values libxml2 formatted into the message (`xmlError.str1...str3`) are withheld
///    wherever they appear, even with a quote inside them (`'O'Brien'`) that would throw a
///    quote-pairing scan out of step;
/// 2. each remaining quoted segment is kept only when the schema declares it; an element or
///    attribute name the schema does not know says so instead (`(an element not in the schema)`);
/// 3. every unquoted word left must be a word of libxml2's message templates or of the schema;
///    if one is not, the message is replaced whole by a plain sentence.
/// A wrongly withheld name costs a little clarity; a wrongly kept value would leak a child's data.
/// Messages become one line.
enum MessageRedaction {
    static let withheld = "(value withheld)"
    static let unknownElement = "(an element not in the schema)"
    static let unknownAttribute = "(an attribute not in the schema)"
    static let replaced = "the document does not match the schema here (libxml2's wording quoted the document, so it is withheld)"

    static func redact(_ message: String, arguments: [String] = [], isKnown: (String) -> Bool = SchemaVocabulary.contains) -> String {
        var text = oneLine(message)
        text = dropByteDump(text)
        // 1. The formatted values, longest first (one may contain another).
        for argument in arguments.filter({ !$0.isEmpty && !isKnown($0) }).sorted(by: { $0.count > $1.count }) {
            let quoted = "'\(argument)'"
            while let range = text.firstRange(of: quoted) {
                let before = text[..<range.lowerBound]
                let stand = before.hasSuffix("attribute ") || before.hasSuffix("Attribute ") ? attributePlaceholder
                    : before.hasSuffix("element ") || before.hasSuffix("Element ") ? elementPlaceholder : placeholder
                text.replaceSubrange(range, with: stand)
            }
        }
        text = stripKnownNamespaces(text, isKnown: isKnown)
        // 2. Quoted segments.
        var output = ""
        var residue = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "'", let close = text[text.index(after: index)...].firstIndex(of: "'") else {
                output.append(character)
                residue.append(character)
                index = text.index(after: index)
                continue
            }
            let content = String(text[text.index(after: index)..<close])
            if isKnown(content) {
                output += "'\(content)'"
            } else if output.hasSuffix("Element ") || output.hasSuffix("element ") {
                output += unknownElement
            } else if output.hasSuffix("attribute ") || output.hasSuffix("Attribute ") {
                output += unknownAttribute
            } else {
                output += withheld
            }
            residue.append(" ")
            index = text.index(after: close)
        }
        // 3. What is left outside quotes: template words and schema names only.
        for word in residue.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ":") }) {
            let word = String(word).trimmingCharacters(of: ":")
            if word.isEmpty || templateWords.contains(word) || templateWords.contains(word.lowercased()) || isKnown(word) { continue }
            return replaced
        }
        return output.replacing(placeholder, with: withheld)
            .replacing(attributePlaceholder, with: unknownAttribute).replacing(elementPlaceholder, with: unknownElement)
    }

    /// Stand for a withheld argument until the end (private-use characters: never a word).
    private static let placeholder = "\u{E000}"
    private static let attributePlaceholder = "\u{E001}"
    private static let elementPlaceholder = "\u{E002}"

    /// Newlines, tabs and runs of spaces become one space; nothing trails.
    static func oneLine(_ message: String) -> String {
        var output = ""
        var lastWasSpace = false
        for character in message {
            let space = character.isWhitespace || character.isNewline
            if space {
                if !lastWasSpace, !output.isEmpty { output.append(" ") }
            } else {
                output.append(character)
            }
            lastWasSpace = space
        }
        return output.trimmingTrailingNewlines()
    }

    /// `{urn:y2a:assetplus:1}Gender` → `Gender`, for the schemas' own namespaces only: any other
    /// namespace came from the document and is left for the later layers to withhold.
    private static func stripKnownNamespaces(_ text: String, isKnown: (String) -> Bool) -> String {
        var output = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "{", let close = text[index...].firstIndex(of: "}"),
               isKnown(String(text[text.index(after: index)..<close])), text[text.index(after: index)..<close].contains(":")
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

    /// The words of libxml2 2.9's schema validity messages (xmlschemas.c) that can reach a
    /// finding about an instance document. A word outside this list and the schema means the
    /// message carries document text.
    static let templateWords: Set<String> = [
        "a", "abstract", "according", "after", "all", "allowed", "an", "and", "any", "are", "as", "at",
        "attribute", "attributes", "available", "be", "because", "but", "by", "cannot", "character",
        "child", "complex", "constraint", "content", "corresponding", "declaration", "declarations",
        "declared", "definition", "derived", "differs", "digits", "document", "does", "duplicate",
        "element", "element-only", "elements", "empty", "enumeration", "exceeds", "expected", "facet",
        "fixed", "for", "found", "fraction", "fractional", "from", "global", "greater", "has", "have",
        "id", "identity-constraint", "in", "invalid", "is", "it", "key", "key-sequence", "keyref",
        "length", "less", "list", "local", "match", "matching", "maximum", "minimum", "missing",
        "mixed", "more", "must", "namespace", "nillable", "nilled", "no", "node", "not", "of", "on",
        "one", "only", "or", "other", "pattern", "precomputed", "qname", "required", "root", "s",
        "scope", "sequence", "set", "simple", "something", "strange", "happend", "than", "the",
        "there", "this", "to", "type", "underruns", "union", "unique", "value", "valid", "validation",
        "values", "was", "whitespace", "with", "xsi", "xsi:type", "xsi:nil", "atomic", "either",
        "wildcard", "skip", "lax", "strict", "ids", "idref", "idrefs", "notation", "unknown",
        "mininclusive", "maxinclusive", "minexclusive", "maxexclusive", "totaldigits",
        "fractiondigits", "minlength", "maxlength", "warning", "which", "within", "its",
        "accepted", "unexpected", "neither", "nor", "nil", "maxoccurs", "minoccurs", "equal", "exist",
        "appear", "actual", "already", "contents", "children", "defined", "exclusive", "inclusive",
        "also", "can", "since", "thus", "would", "whose", "prohibited", "use", "used", "occurrences",
        "occur", "processcontents", "particle", "wildcard", "substitution", "group", "ref", "xs",
        "xsi:schemalocation", "xsi:nonamespaceschemalocation", "lookup", "failed", "facet-valid",
        "canonical", "normalized", "position", "expected:", "present", "ambiguous", "emptiable",
    ]
}

extension String {
    func trimmingCharacters(of character: Character) -> String {
        var s = Substring(self)
        while s.first == character { s.removeFirst() }
        while s.last == character { s.removeLast() }
        return String(s)
    }
}
