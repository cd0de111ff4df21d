import Foundation
import Hummingbird
import Synchronization

/// A token bucket per API key: `ratePerSecond` tokens a second up to `burst`; a request with
/// no token left gets 429 `rate_limited` with `Retry-After` (whole seconds until a token).
final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let ratePerSecond: Double
    let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    init(ratePerSecond: Double, burst: Int) {
        self.ratePerSecond = ratePerSecond
        self.burst = Double(burst)
    }

    /// Takes a token for `key`; returns nil on success or the seconds to wait.
    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Double? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = (now - bucket.updated) / .seconds(1)
            bucket.tokens = min(burst, bucket.tokens + elapsed * ratePerSecond)
            bucket.updated = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / ratePerSecond
        }
    }
}

struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = DaemonRequestContext
    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if APIKeyMiddleware.openPaths.contains(request.uri.path) { return try await next(request, context) }
        if let wait = limiter.take(context.keyName ?? "anonymous") {
            throw APIError(.rateLimited, "rate limit of \(limiter.ratePerSecond) requests/s exceeded", retryAfterSeconds: max(1, Int(wait.rounded(.up))))
        }
        return try await next(request, context)
    }
}
