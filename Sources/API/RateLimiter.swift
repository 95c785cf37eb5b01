import Foundation
import Synchronization

/// A token bucket per API token, in memory: `burst` requests at once, refilled at
/// `perMinute` a minute. Written here rather than taken from a library: Hummingbird 2.28 has
/// no rate-limiting middleware, and the bucket is keyed by token, which only the API knows.
final class RateLimiter: Sendable {
    let perMinute: Double
    let burst: Double
    private let buckets = Mutex<[Int64: (tokens: Double, at: ContinuousClock.Instant)]>([:])

    init(perMinute: Int, burst: Int) {
        self.perMinute = Double(max(1, perMinute))
        self.burst = Double(max(1, burst))
    }

    /// Takes one request from the bucket: nil when allowed, else the whole seconds to wait.
    func take(_ key: Int64, now: ContinuousClock.Instant = .now) -> Int? {
        buckets.withLock { buckets in
            var (tokens, at) = buckets[key] ?? (burst, now)
            let elapsed = now - at
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            tokens = min(burst, tokens + seconds * perMinute / 60)
            guard tokens >= 1 else {
                buckets[key] = (tokens, now)
                return max(1, Int(((1 - tokens) * 60 / perMinute).rounded(.up)))
            }
            buckets[key] = (tokens - 1, now)
            return nil
        }
    }
}
