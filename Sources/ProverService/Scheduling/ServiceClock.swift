import Foundation
import Synchronization

/// The time source of a service; tests inject a ``ManualClock``.
public protocol ServiceClock: Sendable {
    func now() -> Date
    /// Blocks the calling (dedicated) thread, which holds `condition`'s lock, until `deadline`
    /// (nil: indefinitely) or until the condition is signalled.
    func wait(on condition: NSCondition, until deadline: Date?)
}

/// Wall-clock time.
public struct SystemClock: ServiceClock {
    public init() {}
    public func now() -> Date { Date() }
    public func wait(on condition: NSCondition, until deadline: Date?) {
        if let deadline { _ = condition.wait(until: deadline) } else { condition.wait() }
    }
}

/// A clock that only moves when told to. Timers waiting on it wake when it advances.
public final class ManualClock: ServiceClock {
    private struct State {
        var now: Date
        var waiters: [ObjectIdentifier: WeakCondition] = [:]
    }

    private let state: Mutex<State>

    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// Moves time forward and wakes every timer thread.
    public func advance(by seconds: Double) {
        let waiters = state.withLock { s in
            s.now = s.now.addingTimeInterval(seconds)
            return s.waiters.values.compactMap(\.condition)
        }
        for condition in waiters {
            condition.lock()
            condition.broadcast()
            condition.unlock()
        }
    }

    public func wait(on condition: NSCondition, until deadline: Date?) {
        state.withLock { $0.waiters[ObjectIdentifier(condition)] = WeakCondition(condition: condition) }
        if let deadline, deadline <= now() { return }
        condition.wait()
    }
}

private struct WeakCondition: @unchecked Sendable {
    weak var condition: NSCondition?
}
