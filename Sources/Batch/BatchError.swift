/// A failure that stops a batch run or one file's handling (configuration, lock, store, I/O).
/// Thrown; a stable code, a message that says what to do, and where. Never personal data.
public struct BatchError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var path: String?

    public init(code: String, message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// Another run holds the lock.
    public static func locked(_ path: String) -> BatchError {
        BatchError(code: "BATCH-LOCKED", message: "another y2a batch run holds the lock; this run did nothing (try again when it has finished)", path: path)
    }

    public var isLocked: Bool { code == "BATCH-LOCKED" }

    public var description: String {
        if let path { return "\(path): \(code): \(message)" }
        return "\(code): \(message)"
    }
}
