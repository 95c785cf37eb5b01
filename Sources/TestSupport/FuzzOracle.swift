public import Findings

/// What every answer to hostile input must hold, whatever the bytes: checked by the fuzz targets
/// (Tests/Fuzz, on every execution) and by the replay of their reproducers (Tests/Fuzz/Regressions).
///
/// Messages are one line and quote no personal value of the samples, which seed the fuzz corpus:
/// a mutation moves a surname into a tag or attribute name, a CDATA section or a comment, and
/// the message about it must still not quote it.
public enum FuzzOracle {
    /// The personal values the corpus carries (every sample's), read once.
    public static let personalValues: [String] = PersonalValues.ofSamples.sorted()

    /// What is wrong with `messages` (empty when nothing is): a line break, or a personal value.
    public static func problems(messages: [String]) -> [String] {
        var problems: [String] = []
        for message in messages {
            if message.contains("\n") || message.contains("\r") {
                problems.append("a message spans lines")
            }
            for value in personalValues where PersonalValues.leaked(value, in: message) {
                problems.append("a message quotes a personal value of the samples (\(value.count) characters)")
            }
        }
        return problems
    }

    /// The same for findings: their messages and element paths.
    public static func problems(findings: [Finding]) -> [String] {
        problems(messages: findings.flatMap { [$0.message, $0.path ?? ""] })
    }
}
