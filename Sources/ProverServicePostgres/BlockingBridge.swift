import Foundation
import NIOCore
import Synchronization

/// Runs the notifier's async `LISTEN` loop on a thread of its own.
///
/// The store is also called synchronously from async code (the daemon's routes call `status`
/// on Swift's cooperative pool), so the store's own async work must never need that pool: the
/// listener runs as a task whose executor preference is this bridge thread. Statements do not
/// use the bridge: they are chains of NIO futures on the connection's event loop that one
/// blocked caller waits for (``waitBlocking(_:seconds:what:)``).
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

/// Blocks the calling thread (never an event loop) until `future` completes, for at most
/// `seconds`. Past the deadline it throws ``PostgresCallError/timedOut`` and the future's late
/// result is dropped (`abandoned` runs on it, e.g. to close a connection that opened too late).
func waitBlocking<T: Sendable>(
    _ future: EventLoopFuture<T>, seconds: Double, what: String, abandoned: (@Sendable (T) -> Void)? = nil
) throws -> T {
    assert(!future.eventLoop.inEventLoop, "a PostgreSQL call must not block its own event loop")
    let box = BlockingResult<T>()
    future.whenComplete { result in
        if !box.set(result), case .success(let value) = result { abandoned?(value) }
    }
    guard let result = box.wait(seconds: seconds) else {
        throw PostgresCallError.timedOut("\(what): no answer within \(seconds) s")
    }
    return try result.get()
}

/// A result handed from an event loop to the blocked caller; the caller may give up waiting.
private final class BlockingResult<T: Sendable>: Sendable {
    private let state = Mutex<(result: Result<T, any Error>?, abandoned: Bool)>((nil, false))
    private let ready = DispatchSemaphore(value: 0)

    /// Hands over the result; false when the caller gave up.
    func set(_ value: Result<T, any Error>) -> Bool {
        let taken = state.withLock { s -> Bool in
            guard !s.abandoned else { return false }
            s.result = value
            return true
        }
        if taken { ready.signal() }
        return taken
    }

    /// The result, or nil (and abandoned) after `seconds`.
    func wait(seconds: Double) -> Result<T, any Error>? {
        if ready.wait(timeout: .now() + .nanoseconds(Int(seconds * 1e9))) == .success {
            return state.withLock { $0.result }
        }
        return state.withLock { s in
            if let result = s.result { return result }  // set just as the wait timed out
            s.abandoned = true
            return nil
        }
    }
}
