import Foundation

/// A fixed number of dedicated threads serving one backend. A worker claims work from the
/// store; when there is none it sleeps until ``signal()``; when the store fails it backs off
/// (10 ms, doubling, at most 1 s) and tries again. Never more than `size` handlers of this
/// backend run at once, because each runs on one of these threads.
///
/// A worker whose task ran long enough hands the outcome to the pool's ``committer`` thread and
/// claims its next task at once, so the commit overlaps the next proof.
final class WorkerPool: @unchecked Sendable {
    /// What one call of a worker's `work` did.
    enum Pass {
        /// Ran a task: look for the next one at once.
        case ran
        /// Found nothing to run: sleep until signalled.
        case idle
        /// The store failed: back off, then try again (a signal does not cut the backoff short).
        case failed
    }

    /// Backoff after consecutive store failures: `initial · 2^(n−1)` seconds, at most `maximum`.
    static let failureBackoff = (initial: 0.010, maximum: 1.0)

    // @unchecked: `generation` and `stopping` are only touched with `condition` locked.
    let backend: String
    let size: Int
    /// Commits the outcomes the workers hand over, in order, on a thread of its own.
    let committer: StoreThread
    private let condition = NSCondition()
    private var generation: UInt64 = 0
    private var stopping = false
    /// Counts this pool's running threads (shared by all pools of a service).
    private let threads: ThreadLatch

    init(backend: String, size: Int, threads: ThreadLatch) {
        self.backend = backend
        self.size = max(1, size)
        self.threads = threads
        self.committer = StoreThread(name: "prover-\(backend)-commit", yieldsToWaker: true)
    }

    /// Starts the threads (unless the pool was stopped). `work` claims and runs one task and
    /// says how that went.
    func start(_ work: @escaping @Sendable (_ worker: String) -> Pass) {
        condition.lock()
        let stopped = stopping
        condition.unlock()
        guard !stopped else { return }
        for index in 0..<size {
            let name = "prover-\(backend)-\(index)"
            threads.enter()
            let thread = Thread { [self] in
                ServiceThreads.run(named: name) { loop(name: name, work: work) }
                threads.leave()
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func loop(name: String, work: @Sendable (String) -> Pass) {
        var failures = 0
        while true {
            condition.lock()
            let seen = generation
            let stop = stopping
            condition.unlock()
            if stop { return }
            switch work(name) {
            case .ran:
                failures = 0
            case .idle:
                failures = 0
                condition.lock()
                while generation == seen && !stopping { condition.wait() }
                condition.unlock()
            case .failed:
                failures += 1
                let deadline = Date(timeIntervalSinceNow: Self.backoff(afterFailures: failures))
                condition.lock()
                while !stopping && condition.wait(until: deadline) {}
                condition.unlock()
            }
        }
    }

    static func backoff(afterFailures failures: Int) -> Double {
        min(failureBackoff.maximum, failureBackoff.initial * Double(1 << min(max(failures - 1, 0), 20)))
    }

    /// Wakes idle workers: new work may be runnable.
    func signal() {
        condition.lock()
        generation &+= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Stops claiming; threads exit after their current task.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }
}
