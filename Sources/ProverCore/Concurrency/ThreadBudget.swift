import Synchronization

/// Shares the machine's cores among the proofs that run at once: a proof that starts alone
/// gets every core (lowest latency); when several run, each gets cores ÷ running, at least one
/// (highest throughput: one thread per proof beats splitting one proof across cores, see
/// docs/performance.md, "Throughput").
///
/// The share is fixed when a proof starts; a proof that started alone keeps its threads when
/// others join, so the machine is briefly oversubscribed rather than left idle.
public final class ThreadBudget: Sendable {
    /// Cores to share.
    public let cores: Int
    private let running = Atomic<Int>(0)

    public init(cores: Int = ProcessorInfo.activeCores) {
        self.cores = max(1, cores)
    }

    /// Proofs running now.
    public var runningProofs: Int { running.load(ordering: .relaxed) }

    /// Runs `body` as one more running proof, with the threads it should use.
    public func withShare<R, E: Error>(_ body: (_ threads: Int) throws(E) -> R) throws(E) -> R {
        let count = running.wrappingAdd(1, ordering: .relaxed).newValue
        defer { running.wrappingSubtract(1, ordering: .relaxed) }
        return try body(max(1, cores / count))
    }
}
