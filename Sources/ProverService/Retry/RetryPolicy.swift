/// Exponential backoff with jitter.
///
/// After the n-th transient failure (n ≥ 1) the task waits
/// `min(maxDelay, baseDelay · multiplier^(n-1) · (1 + jitter · (2r − 1)))` for a random
/// r in [0, 1). When n reaches `maxAttempts` the task fails instead.
///
/// Defaults: 5 attempts, 1 s base, ×2, ±20 % jitter, 5 min cap.
public struct RetryPolicy: Sendable, Hashable {
    /// Total runs allowed; the task fails after this many transient failures.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var multiplier: Double
    public var maxDelay: Duration
    /// Fraction in [0, 1]: the delay varies by ± this much.
    public var jitter: Double

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .seconds(1), multiplier: Double = 2,
        maxDelay: Duration = .seconds(300), jitter: Double = 0.2
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.multiplier = max(1, multiplier)
        self.maxDelay = maxDelay
        self.jitter = min(1, max(0, jitter))
    }

    /// The documented defaults.
    public static let `default` = RetryPolicy()

    /// Whether a task that has now failed transiently `attempt` times may run again.
    public func allowsRetry(afterFailures attempt: Int) -> Bool { attempt < maxAttempts }

    /// The delay before the next run, in seconds, after the `attempt`-th transient failure.
    /// `random` must lie in [0, 1).
    public func delaySeconds(afterFailures attempt: Int, random: Double) -> Double {
        let nominal = nominalSeconds(afterFailures: attempt)
        let factor = 1 + jitter * (2 * min(max(random, 0), 1) - 1)
        return min(maxDelay.seconds, nominal * factor)
    }

    /// The delay bounds after the `attempt`-th failure: nominal ± jitter, capped.
    public func delayBounds(afterFailures attempt: Int) -> ClosedRange<Double> {
        let nominal = nominalSeconds(afterFailures: attempt)
        let cap = maxDelay.seconds
        return min(cap, nominal * (1 - jitter))...min(cap, nominal * (1 + jitter))
    }

    private func nominalSeconds(afterFailures attempt: Int) -> Double {
        let exponent = Double(max(0, attempt - 1))
        let raw = baseDelay.seconds * pow2(multiplier, exponent)
        return raw.isFinite ? raw : .greatestFiniteMagnitude
    }

    private func pow2(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var i = 0.0
        while i < exponent && result < 1e12 {
            result *= base
            i += 1
        }
        return result
    }
}
