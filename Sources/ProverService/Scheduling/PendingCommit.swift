import Foundation

/// The outcome of one task that a worker handed to its pool's committer thread
/// (``WorkerPool/committer``) instead of committing it itself. The worker waits for it before
/// it hands over another outcome (so each worker has at most one commit in flight) and before
/// it goes idle or ends (so a worker that has returned has nothing left uncommitted).
final class PendingCommit: @unchecked Sendable {
    // @unchecked: `done` is only touched with `condition` locked.
    private let condition = NSCondition()
    private var done = false

    /// Called by the committer once the outcome is in the store (or has definitively failed).
    func markDone() {
        condition.lock()
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until ``markDone()``.
    func wait() {
        condition.lock()
        while !done { condition.wait() }
        condition.unlock()
    }
}
