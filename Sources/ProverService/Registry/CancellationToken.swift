import Foundation
import Synchronization

/// Why a running task was asked to stop.
public enum CancellationReason: UInt8, Sendable {
    /// A user cancelled the task.
    case cancelled = 1
    /// The task's timeout expired (a transient failure).
    case timeout = 2
    /// The service is shutting down (the task is requeued).
    case shutdown = 3
}

/// A flag a running handler polls to stop its work early.
public final class CancellationToken: Sendable {
    private let state = Atomic<UInt8>(0)
    /// One condition shared by all tokens: cancels are rare, and a token costs no lock to create.
    private static let condition = ConditionBox()

    public init() {}

    /// Whether the task was asked to stop.
    public var isCancelled: Bool { state.load(ordering: .acquiring) != 0 }

    /// Why the task was asked to stop, if it was.
    public var reason: CancellationReason? { CancellationReason(rawValue: state.load(ordering: .acquiring)) }

    /// Throws `CancellationError` if the task was asked to stop.
    public func checkCancellation() throws {
        if isCancelled { throw CancellationError() }
    }

    /// Asks the task to stop. The first reason wins.
    public func cancel(_ reason: CancellationReason = .cancelled) {
        if state.compareExchange(expected: 0, desired: reason.rawValue, ordering: .acquiringAndReleasing).exchanged {
            Self.condition.broadcast()
        }
    }

    /// Blocks the calling thread for up to `seconds`, returning early (false) if cancelled.
    @discardableResult
    public func sleep(seconds: Double) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        return Self.condition.wait(until: deadline) { self.isCancelled }
    }
}

/// An NSCondition with a predicate loop; Sendable because NSCondition is thread-safe.
final class ConditionBox: @unchecked Sendable {
    private let condition = NSCondition()

    func broadcast() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Waits, with no deadline, until `done()` is true (checked again after each broadcast).
    func wait(until done: () -> Bool) {
        condition.lock()
        defer { condition.unlock() }
        while !done() { condition.wait() }
    }

    /// Waits until `deadline` or until `stop()` is true; returns false if stopped early.
    func wait(until deadline: Date, stop: () -> Bool) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stop() {
            if !condition.wait(until: deadline) { return !stop() }
        }
        return false
    }
}
