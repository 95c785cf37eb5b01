/// A template that cannot be used: unreadable, fails to parse, breaks a NOCO template rule
/// (every value escaped, known variables only) or renders nothing. Names the file and line.
public struct NOCOTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template's path (or the name it was given).
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path:line:column: message`, like a compiler.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}
