import Foundation
import Synchronization

/// A fixed number of dedicated threads serving one backend. A worker claims work from the
/// store; when there is none it sleeps until ``signal()``. Never more than `size` handlers of
/// this backend run at once, because each runs on one of these threads.
final class WorkerPool: @unchecked Sendable {
    // @unchecked: `generation` and `stopping` are only touched with `condition` locked.
    let backend: String
    let size: Int
    private let condition = NSCondition()
    private var generation: UInt64 = 0
    private var stopping = false
    private let alive = Atomic<Int>(0)

    init(backend: String, size: Int) {
        self.backend = backend
        self.size = max(1, size)
    }

    /// Starts the threads. `work` claims and runs one task, returning false if there was none.
    func start(_ work: @escaping @Sendable (_ worker: String) -> Bool, onExit: @escaping @Sendable () -> Void) {
        for index in 0..<size {
            let name = "prover-\(backend)-\(index)"
            alive.add(1, ordering: .relaxed)
            let thread = Thread { [self] in
                let me = UInt(pthread_self())
                WorkerThreads.names.withLock { $0[me] = name }
                loop(name: name, work: work)
                WorkerThreads.names.withLock { $0[me] = nil }
                alive.subtract(1, ordering: .relaxed)
                onExit()
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func loop(name: String, work: @Sendable (String) -> Bool) {
        while true {
            condition.lock()
            let seen = generation
            let stop = stopping
            condition.unlock()
            if stop { return }
            if work(name) { continue }
            condition.lock()
            while generation == seen && !stopping { condition.wait() }
            condition.unlock()
        }
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

    var aliveThreads: Int { alive.load(ordering: .relaxed) }
}

/// Which threads are pool workers, for diagnostics and tests.
package enum WorkerThreads {
    static let names = Mutex<[UInt: String]>([:])

    /// The worker name (`prover-<backend>-<index>`) if the calling thread is a pool worker.
    package static var currentName: String? {
        let me = UInt(pthread_self())
        return names.withLock { $0[me] }
    }
}
