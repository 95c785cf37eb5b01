/// Escaping for the XML the gateway writes (manifests, receipts, NOCO): one implementation,
/// so every writer gives a parser back exactly the value it was given.
public enum XMLEscaping {
    /// Character data: `&`, `<`, `>` and CR escaped; a character XML 1.0 cannot hold becomes U+FFFD.
    public static func text(_ value: String) -> String {
        escape(value, inAttribute: false)
    }

    /// An attribute value: also `"`, `'`, tab and line feed, which attribute-value
    /// normalisation would otherwise turn into spaces.
    public static func attribute(_ value: String) -> String {
        escape(value, inAttribute: true)
    }

    private static func escape(_ value: String, inAttribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#13;"
            case "\"" where inAttribute: out += "&quot;"
            case "'" where inAttribute: out += "&apos;"
            case "\t" where inAttribute: out += "&#9;"
            case "\n" where inAttribute: out += "&#10;"
            default: out.unicodeScalars.append(isXMLCharacter(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    /// XML 1.0 `Char`: tab, LF, CR, and everything from U+0020 except U+FFFE and U+FFFF.
    private static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
