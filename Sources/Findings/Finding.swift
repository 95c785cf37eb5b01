/// How much a finding matters: an error makes a document invalid, a warning does not.
public enum Severity: String, Sendable, Codable, Hashable, Comparable {
    case error
    case warning

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// A problem found in a document: reported and collected, never thrown.
///
/// Messages name elements, codes and line numbers only; they never carry a value from the
/// document (a name, a date of birth or offence text), because findings are printed, logged
/// and written to reports.
public struct Finding: Sendable, Codable, Hashable {
    /// Stable rule code, e.g. `AP-EPISODE-MIX`, `XSD`, `XML-DOCTYPE`.
    public var code: String
    public var severity: Severity
    /// Plain-words explanation with no personal data.
    public var message: String
    /// 1-based line in the document, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// Element path such as `/AssetPlus/CoreRecord/Episodes/Episode`, when known.
    public var path: String?

    public init(
        code: String, severity: Severity = .error, message: String,
        line: Int? = nil, column: Int? = nil, path: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.message = message
        self.line = line
        self.column = column
        self.path = path
    }

    public var isError: Bool { severity == .error }
}

extension Finding: CustomStringConvertible {
    /// `line:column: error[CODE]: message (path)`.
    public var description: String {
        var location = ""
        if let line {
            location = "\(line):\(column ?? 0): "
        }
        let suffix = path.map { " (\($0))" } ?? ""
        return "\(location)\(severity.rawValue)[\(code)]: \(message)\(suffix)"
    }
}

extension Array where Element == Finding {
    /// True when no finding is an error.
    public var isValid: Bool { !contains(where: \.isError) }

    /// Errors first, then by line, then by code: a stable order for output and tests.
    public func sortedForReport() -> [Finding] {
        sorted {
            ($0.severity, $0.line ?? 0, $0.column ?? 0, $0.code, $0.message)
                < ($1.severity, $1.line ?? 0, $1.column ?? 0, $1.code, $1.message)
        }
    }
}
