import Foundation
import Synchronization

/// Runs postgres-nio's async calls for the synchronous ``ProverService/TaskStore`` API.
///
/// The store is called from dedicated threads (workers, the timer, the store thread) that may
/// block, but also synchronously from async code (the daemon's routes call `status`), i.e.
/// from Swift's cooperative pool. The async work therefore runs as a task whose executor
/// preference is this bridge's own thread, never the cooperative pool: a caller blocking a
/// cooperative thread cannot starve the task it waits for. NIO's event loops are never
/// blocked: they only complete the futures.
final class BridgeExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `jobs` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// The process-wide bridge thread.
    static let shared = BridgeExecutor()

    private init() {
        let thread = Thread { [self] in loop() }
        thread.name = "prover-postgres-bridge"
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        condition.lock()
        while true {
            while jobs.isEmpty { condition.wait() }
            var batch: [UnownedJob] = []
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            condition.lock()
        }
    }
}

/// Runs `body` on the bridge and blocks the calling thread until it returns.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingResult<T>()
    Task(executorPreference: BridgeExecutor.shared) {
        do {
            box.set(.success(try await body()))
        } catch {
            box.set(.failure(error))
        }
    }
    return try box.wait().get()
}

/// A result handed from the bridge to the blocked caller.
private final class BlockingResult<T: Sendable>: Sendable {
    private let result = Mutex<Result<T, any Error>?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    func set(_ value: Result<T, any Error>) {
        result.withLock { $0 = value }
        ready.signal()
    }

    func wait() -> Result<T, any Error> {
        ready.wait()
        return result.withLock { $0! }
    }
}
