import Foundation
import Synchronization

/// One dedicated thread that runs actions at deadlines of a ``ServiceClock``: retry timers
/// and per-task timeouts. Actions run on the timer thread and must be short.
final class TimerThread: @unchecked Sendable {
    // @unchecked: `entries`, `nextHandle` and `stopped` are only touched with `condition` locked.
    private struct Entry {
        let handle: Int
        let deadline: Date
        let action: @Sendable () -> Void
    }

    private let clock: any ServiceClock
    private let condition = NSCondition()
    private var entries: [Entry] = []
    private var nextHandle = 0
    private var stopped = false
    private var started = false
    /// Counts the timer thread while it runs.
    let threads = ThreadLatch()

    init(clock: any ServiceClock) {
        self.clock = clock
    }

    func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started, !stopped else { return }
        started = true
        threads.enter()
        let thread = Thread { [self] in
            ServiceThreads.run(named: "prover-timers") { run() }
            threads.leave()
        }
        thread.name = "prover-timers"
        thread.start()
    }

    /// Schedules `action` at `deadline`; returns a handle for ``cancel(_:)``.
    @discardableResult
    func schedule(at deadline: Date, _ action: @escaping @Sendable () -> Void) -> Int {
        condition.lock()
        defer { condition.unlock() }
        nextHandle += 1
        let index = entries.firstIndex { $0.deadline > deadline } ?? entries.count
        entries.insert(Entry(handle: nextHandle, deadline: deadline, action: action), at: index)
        condition.broadcast()
        return nextHandle
    }

    func cancel(_ handle: Int) {
        condition.lock()
        entries.removeAll { $0.handle == handle }
        condition.unlock()
    }

    var pendingCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return entries.count
    }

    /// Drops every pending action; the thread ends after the action it is running, if any.
    func stop() {
        condition.lock()
        stopped = true
        entries.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        condition.lock()
        while !stopped {
            let now = clock.now()
            if let first = entries.first, first.deadline <= now {
                entries.removeFirst()
                condition.unlock()
                first.action()
                condition.lock()
                continue
            }
            clock.wait(on: condition, until: entries.first?.deadline)
        }
        condition.unlock()
    }
}
