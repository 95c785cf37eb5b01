public import Gateway

/// A failure that stops a batch run or one file's handling (configuration, lock, store, I/O):
/// the gateway's one thrown failure type, with a stable code, a message that says what to do,
/// and where. Never personal data.
public typealias BatchError = GatewayError

extension GatewayError {
    /// Another run holds the lock.
    public static func locked(_ path: String) -> GatewayError {
        GatewayError(code: "BATCH-LOCKED", message: "another y2a batch run holds the lock; this run did nothing (try again when it has finished)", path: path)
    }

    public var isLocked: Bool { code == "BATCH-LOCKED" }
}
