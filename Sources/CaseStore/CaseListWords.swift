/// The words the case list's search looks up (`caseWord`, schema v7-list-indexes, and the
/// full-text index `caseSearch` built from it, v9-search-index), the same on both engines. A
/// case's words are its family and given names, PNC and person id, lowercased and split at white
/// space; a word with punctuation inside ("smith-jones", "o'neil", "2019/12345a")
/// is kept whole and also split into its letter-and-digit runs ("smith", "jones"). A search word
/// matches a case when it begins one of the case's words, compared as text: `%`, `_` and `\`
/// are characters like any other, never wildcards.
public enum CaseListWords {
    /// The words a case is found by.
    public static func words(familyName: String, givenNames: String, pnc: String?, personRef: String?) -> Set<String> {
        var words: Set<String> = []
        for field in [familyName, givenNames, pnc ?? "", personRef ?? ""] {
            for whole in field.lowercased().split(whereSeparator: \.isWhitespace) {
                words.insert(String(whole))
                let runs = whole.split { !($0.isLetter || $0.isNumber) }
                if runs.count != 1 || runs[0] != whole {
                    for run in runs { words.insert(String(run)) }
                }
            }
        }
        return words
    }

    /// The longest search word, in UTF-8 bytes, that can match: a stored word is at most a
    /// 200-character name (800 bytes). A longer one matches nothing, on both engines, without
    /// asking the index (PostgreSQL refuses a `tsquery` operand over 2,046 characters).
    public static let longestWord = 1_000

    /// True when a search cannot match any case: one of its words is longer than `longestWord`.
    public static func matchesNothing(_ text: String?) -> Bool {
        searchWords(text).contains { $0.utf8.count > longestWord }
    }

    /// The words of a search, lowercased as a case's words are (at most 8).
    public static func searchWords(_ text: String?) -> [String] {
        (text ?? "").lowercased().split(whereSeparator: \.isWhitespace).prefix(8).map(String.init)
    }

    /// A word as the full-text index (`caseSearch`, schema v9-search-index) holds it: its UTF-8
    /// bytes in lower-case hex, which SQLite writes `lower(hex(word))` and PostgreSQL
    /// `encode(convert_to(word, 'UTF8'), 'hex')`. SQLite's `ascii` tokenizer keeps such a token
    /// whole whatever the word's characters, PostgreSQL takes it as a lexeme as it is, and one
    /// word begins another exactly when its token begins the other's token.
    public static func searchToken(_ word: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(word.utf8.count * 2)
        for byte in word.utf8 {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The full-text query of a search's words for `caseSearch`: each a prefix, all required
    /// (`"6a61636b"* AND "736d697468"*`); nil when there are no words.
    public static func searchMatch(_ text: String?) -> String? {
        let words = searchWords(text)
        return words.isEmpty ? nil : words.map { "\"\(searchToken($0))\"*" }.joined(separator: " AND ")
    }
}
