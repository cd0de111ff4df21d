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

    init(name: String = "prover-store") {
        self.name = name
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
