import Synchronization

/// Shares the machine's cores among the proofs that run at once: a proof that starts alone
/// gets every core (lowest latency); when several run, each gets cores ÷ running, at least one
/// (highest throughput: one thread per proof beats splitting one proof across cores, see
/// docs/performance.md, "Throughput").
///
/// A proof reads its share when it starts (`withShare`) and again at each parallel phase
/// (`currentShare`, through `StarkProver.Options.threadCount`): one that started alone gives
/// cores back at its next phase when others join.
public final class ThreadBudget: Sendable {
    /// Cores to share.
    public let cores: Int
    private let running = Atomic<Int>(0)

    public init(cores: Int = ProcessorInfo.activeCores) {
        self.cores = max(1, cores)
    }

    /// Proofs running now.
    public var runningProofs: Int { running.load(ordering: .relaxed) }

    /// The threads one running proof should use now: cores ÷ running proofs, at least one.
    public var currentShare: Int { max(1, cores / max(1, running.load(ordering: .relaxed))) }

    /// Runs `body` as one more running proof, with the threads it should use.
    public func withShare<R, E: Error>(_ body: (_ threads: Int) throws(E) -> R) throws(E) -> R {
        let count = running.wrappingAdd(1, ordering: .relaxed).newValue
        defer { running.wrappingSubtract(1, ordering: .relaxed) }
        return try body(max(1, cores / count))
    }
}
