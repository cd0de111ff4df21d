#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock measurement helpers for `prover bench`.
///
/// Each case runs a warm-up, then several timed repetitions; the reported figure is the
/// median, which shrugs off the odd descheduling on a shared machine.
public enum Measurement {
    /// Nanoseconds on a monotonic clock.
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Median of `repetitions` timings of `body`, in nanoseconds, after one untimed warm-up.
    public static func medianNanoseconds(repetitions: Int, _ body: () -> Void) -> Double {
        body()
        var samples: [UInt64] = []
        samples.reserveCapacity(repetitions)
        for _ in 0..<max(1, repetitions) {
            let start = now()
            body()
            samples.append(now() - start)
        }
        samples.sort()
        return Double(samples[samples.count / 2])
    }

    /// Median nanoseconds per operation of a loop of `operations` operations.
    public static func nanosecondsPerOperation(operations: Int, repetitions: Int = 5, _ body: () -> Void) -> Double {
        medianNanoseconds(repetitions: repetitions, body) / Double(operations)
    }
}

/// Keeps a value alive so the optimizer cannot delete the work that produced it.
/// (`@_optimize(none)` stops the optimizer from seeing that the body does nothing.)
@inline(never) @_optimize(none)
public func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
