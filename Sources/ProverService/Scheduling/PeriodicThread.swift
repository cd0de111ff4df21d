import Foundation

/// One dedicated thread that calls `tick` every `interval` (wall-clock) until ``stop()``.
/// The service's lease keeper (heartbeat, reaper, remote waits) runs on one: it never proves,
/// so a long proof cannot delay a lease renewal.
final class PeriodicThread: @unchecked Sendable {
    // @unchecked: `stopped` and `started` are only touched with `condition` locked.
    private let condition = NSCondition()
    private var stopped = false
    private var started = false
    let name: String
    /// Counts the thread while it runs.
    let threads = ThreadLatch()

    init(name: String) {
        self.name = name
    }

    /// Starts the thread (once; not after ``stop()``).
    func start(interval: Double, _ tick: @escaping @Sendable () -> Void) {
        condition.lock()
        defer { condition.unlock() }
        guard !started, !stopped else { return }
        started = true
        threads.enter()
        let thread = Thread { [self] in
            ServiceThreads.run(named: name) { loop(interval: interval, tick) }
            threads.leave()
        }
        thread.name = name
        thread.start()
    }

    private func loop(interval: Double, _ tick: @Sendable () -> Void) {
        while true {
            condition.lock()
            let deadline = Date(timeIntervalSinceNow: interval)
            while !stopped && condition.wait(until: deadline) {}
            let stop = stopped
            condition.unlock()
            if stop { return }
            tick()
        }
    }

    /// Ends the thread after its current tick.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
