public import Findings
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What every answer to hostile input must hold, whatever the bytes: checked by the fuzz targets
/// (Tests/Fuzz, on every execution) and by the replay of their reproducers (Tests/Fuzz/Regressions).
///
/// Messages are one line and quote no personal value of the samples, which seed the fuzz corpus:
/// a mutation moves a surname into a tag or attribute name, a CDATA section or a comment, and
/// the message about it must still not quote it.
public enum FuzzOracle {
    /// The personal values the corpus carries (every sample's), read once.
    public static let personalValues: [String] = PersonalValues.ofSamples.sorted()

    /// What `PersonalValues.leaked` looks for, as bytes: each value, and each capitalised word of
    /// four letters or more in it. Searched with strstr: this runs on every fuzz execution.
    static let needles: [[CChar]] = {
        var found = Set<String>()
        for value in personalValues {
            found.insert(value)
            for part in value.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "-") })
            where part.count >= 4 && (part.first?.isUppercase ?? false) {
                found.insert(String(part))
            }
        }
        return found.sorted().map { Array($0.utf8CString) }
    }()

    /// True when `message` holds a personal value of the samples, or a name-like part of one.
    public static func quotesPersonalValue(_ message: String) -> Bool {
        // A NUL would end the C string early: search each NUL-free run.
        message.utf8.split(separator: 0).contains { run in
            let haystack = Array(run.map { CChar(bitPattern: $0) }) + [0]
            return needles.contains { needle in strstr(haystack, needle) != nil }
        }
    }

    /// What is wrong with `messages` (empty when nothing is): a line break, or a personal value.
    public static func problems(messages: [String]) -> [String] {
        var problems: [String] = []
        for message in messages {
            if message.contains("\n") || message.contains("\r") {
                problems.append("a message spans lines")
            }
            if quotesPersonalValue(message) {
                problems.append("a message quotes a personal value of the samples")
            }
        }
        return problems
    }

    /// The same for findings: their messages and element paths.
    public static func problems(findings: [Finding]) -> [String] {
        problems(messages: findings.flatMap { [$0.message, $0.path ?? ""] })
    }
}
