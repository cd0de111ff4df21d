import Foundation

/// One dedicated thread that makes the store calls of the service's async API, in the order
/// they were requested, so that no thread of Swift's cooperative pool ever waits on store I/O.
///
/// The thread starts with the first call and ends after ``stop()``, once the calls already
/// queued have run. Calls made after ``stop()`` fail with `ProverServiceError.shuttingDown`.
final class StoreThread: @unchecked Sendable {
    // @unchecked: `jobs` and `phase` are only touched with `condition` locked.
    private enum Phase {
        case idle, running, stopping, stopped
    }

    typealias Job = @Sendable () -> Void

    let name: String
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var phase = Phase.idle
    /// Counts the store thread while it runs.
    let threads = ThreadLatch()

    /// Whether the thread asks Linux not to preempt the thread that wakes it (`SCHED_BATCH`).
    private let yieldsToWaker: Bool

    /// - Parameter yieldsToWaker: run under `SCHED_BATCH`, so that queuing a call does not hand
    ///   the caller's core to this thread when every core is busy (the caller goes on; the call
    ///   runs on the next free slice). For write-behind work whose caller has better things to do.
    init(name: String = "prover-store", yieldsToWaker: Bool = false) {
        self.name = name
        self.yieldsToWaker = yieldsToWaker
    }

    /// Runs `body` on the store thread and returns its result without blocking the caller.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit(body) { continuation.resume(with: $0) }
        }
    }

    /// Runs `body` on the store thread and passes its result to `done` (on that thread), or
    /// `shuttingDown` (on the caller's thread) if the thread has stopped.
    func submit<T: Sendable>(_ body: @escaping @Sendable () throws -> T, then done: @escaping @Sendable (Result<T, any Error>) -> Void) {
        let accepted = enqueue { done(Result(catching: body)) }
        if !accepted { done(.failure(ProverServiceError.shuttingDown.with("the service has shut down"))) }
    }

    /// Queues `job` to run on the store thread; false (and `job` is not run) if the thread has
    /// stopped.
    func trySubmit(_ job: @escaping Job) -> Bool {
        enqueue(job)
    }

    private func enqueue(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        switch phase {
        case .stopping, .stopped:
            return false
        case .idle:
            phase = .running
            threads.enter()
            let thread = Thread { [self] in
                if yieldsToWaker { ServiceThreads.useBatchScheduling() }
                ServiceThreads.run(named: name) { loop() }
                threads.leave()
            }
            thread.name = name
            thread.start()
        case .running:
            break
        }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Refuses new calls; the thread ends after running the calls already queued.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        switch phase {
        case .idle: phase = .stopped
        case .running:
            phase = .stopping
            condition.signal()
        case .stopping, .stopped: break
        }
    }

    private func loop() {
        condition.lock()
        while true {
            if !jobs.isEmpty {
                var batch: [Job] = []
                swap(&batch, &jobs)
                condition.unlock()
                for job in batch { job() }
                condition.lock()
                continue
            }
            if phase == .stopping { break }
            condition.wait()
        }
        phase = .stopped
        condition.unlock()
    }
}
