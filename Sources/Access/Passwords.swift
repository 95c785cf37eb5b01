import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing and checking (hummingbird-auth's HummingbirdBcrypt), run on NIO's thread pool
/// so a slow hash never blocks an event loop. The cost is configurable (`--bcrypt-cost`).
public struct PasswordHasher: Sendable {
    /// bcrypt's work factor: each step doubles the time of one hash.
    public var cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = min(max(cost, 4), 31)
    }

    /// The shortest password accepted.
    public static let minimumLength = 12
    /// bcrypt reads 72 bytes; a longer password would be silently cut.
    public static let maximumBytes = 72

    /// Says what is wrong with a new password, if anything (never echoes it).
    public static func check(_ password: String) -> AccessError? {
        if password.count < minimumLength {
            return AccessError(code: "PASSWORD-SHORT", message: "a password needs at least \(minimumLength) characters")
        }
        if password.utf8.count > maximumBytes {
            return AccessError(code: "PASSWORD-LONG", message: "a password can have at most \(maximumBytes) bytes (bcrypt reads no more)")
        }
        return nil
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
