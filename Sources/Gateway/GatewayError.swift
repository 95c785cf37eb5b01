/// A failure that stops the work (unreadable file, missing schemas, disk full): thrown, with a
/// stable code, a message that says what to do, and where. Never carries personal data.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var path: String?

    public init(code: String, message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String {
        if let path { return "\(path): \(code): \(message)" }
        return "\(code): \(message)"
    }
}
