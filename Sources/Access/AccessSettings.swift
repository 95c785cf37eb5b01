public import Foundation

/// Timeouts and throttles for sign-in and sessions.
public struct AccessSettings: Sendable {
    /// A session ends after this long without a request (default 30 minutes).
    public var idleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after sign-in, however busy (default 12 hours).
    public var absoluteTimeout: TimeInterval = 12 * 3600
    /// A session's last-seen time is written at most this often (default 1 minute), and at most
    /// every quarter of `idleTimeout`: a page does not wait for a write per request, and a
    /// session may end up to this much sooner than `idleTimeout` after its last request, never
    /// later.
    public var touchInterval: TimeInterval = 60
    /// Failed sign-ins within `failureWindow` that lock an account name.
    public var accountFailureLimit = 5
    /// Failed sign-ins within `failureWindow` that lock an address.
    public var addressFailureLimit = 20
    public var failureWindow: TimeInterval = 15 * 60
    /// How long a lockout lasts.
    public var lockout: TimeInterval = 15 * 60
    public var bcryptCost: UInt8 = 12

    public init() {}
}
