import Foundation
import Synchronization

/// A short task's proof, decided and waiting to be committed with others.
struct BatchedProof: Sendable {
    let task: TaskRecord
    let key: ProverService.ClaimKey
    let proof: StoredProof
}

/// The tasks a worker claimed and has not started, and the proofs it has not committed yet
/// (see ``TaskBatching``). Shared between the worker and its watchdog: if the task the worker
/// runs turns out long, the watchdog hands both to the pool's committer, so they do not wait
/// for that task.
final class WorkerBacklog: Sendable {
    struct State {
        /// Claimed and registered, not started; best first.
        var held: [TaskRecord] = []
        /// In the order the tasks ran.
        var batch: [BatchedProof] = []
        /// When the oldest proof of ``batch`` was added.
        var batchSince: ContinuousClock.Instant?
        /// How long the handlers of the tasks in ``batch`` ran, together.
        var batchRunTime: Duration = .zero
        /// When the task the worker runs now started; nil between tasks.
        var running: ContinuousClock.Instant?
        var watchdogArmed = false

        var isEmpty: Bool { held.isEmpty && batch.isEmpty }

        mutating func takeBatch() -> [BatchedProof] {
            defer {
                batch = []
                batchSince = nil
                batchRunTime = .zero
            }
            return batch
        }

        mutating func takeHeld() -> [TaskRecord] {
            defer { held = [] }
            return held
        }
    }

    let state = Mutex(State())
}

/// What a worker holds during one busy stretch: lives on its thread.
struct WorkerRun {
    let owner: String
    let pool: WorkerPool
    let backlog = WorkerBacklog()
    /// The last outcome handed to the pool's committer (at most one in flight).
    var pending: PendingCommit?
    /// The last task's commit, handed over once the next task's inputs are read.
    var previous: ProverService.DeferredCommit?

    init(owner: String, pool: WorkerPool) {
        self.owner = owner
        self.pool = pool
    }

    var holdsNothing: Bool { backlog.state.withLock { $0.held.isEmpty } }
}

extension ProverService {
    /// Adds a short task's proof to the worker's batch and commits the batch when it is due:
    /// the worker holds no other task (then it also claims its next tasks), the batch is full,
    /// or its oldest proof waited `maxDelay`. Returns false when batching is off (the caller
    /// commits the proof on its own).
    ///
    /// The claim takes as many tasks as the batch's tasks would run in `maxDelay` (at least
    /// one, at most `maxTasks`): a worker never sits on much more work than it can do in that
    /// time while other workers and nodes might be idle.
    func batch(_ proof: StoredProof, of task: TaskRecord, ranFor: Duration, _ work: inout WorkerRun) -> Bool {
        guard let batching = configuration.batching, combined != nil else { return false }
        // nil: not due yet; else the number of tasks to claim with the commit (0: none).
        let due = work.backlog.state.withLock { s -> Int? in
            s.batch.append(BatchedProof(task: task, key: Self.claimKey(task), proof: proof))
            s.batchRunTime += ranFor
            let since = s.batchSince ?? ContinuousClock.now
            s.batchSince = since
            if s.held.isEmpty {
                let mean = s.batchRunTime / s.batch.count
                let fits = mean > .zero ? batching.maxDelay / mean : Double(batching.maxTasks)
                return Int(min(Double(batching.maxTasks), max(1, fits)))
            }
            return s.batch.count >= batching.maxTasks || ContinuousClock.now - since >= batching.maxDelay ? 0 : nil
        }
        if let due { commitBatch(&work, thenClaim: due) }
        return true
    }

    /// Commits the worker's batched proofs and, when `limit` > 0 and the service is not
    /// stopping, claims up to `limit` next tasks in the same transaction.
    func commitBatch(_ work: inout WorkerRun, thenClaim limit: Int) {
        let batch = work.backlog.state.withLock { $0.takeBatch() }
        let claimNext = limit > 0 && !run.withLock { $0.stopping }
        hold(commit(batch, owner: work.owner, thenClaim: claimNext ? work.pool.backend : nil, limit: limit), in: &work)
    }

    /// Commits batched proofs in one transaction (with up to `limit` claims of `backend`, which
    /// it returns). If the store refuses the batch (a lease was lost, a write failed), each task
    /// is committed on its own, as a lone task's outcome is, so one bad task does not hold back
    /// the others.
    private func commit(_ batch: [BatchedProof], owner: String, thenClaim backend: String?, limit: Int) -> [TaskRecord] {
        guard !batch.isEmpty, let combined else { return [] }
        var claimed: [TaskRecord] = []
        do {
            let events: Transitions
            (events, claimed) = try combined.complete(batch.map { ($0.task, $0.proof) }, owner: owner, now: clock.now(),
                                                      thenClaim: backend, limit: limit)
            publish(events)
        } catch {
            for item in batch {
                _ = finish(item.task, owner: owner, reason: nil, outcome: .proved(item.proof.artifact), cancelled: false, thenClaim: nil)
            }
        }
        run.withLock { s in
            for item in batch where s.inFlight[item.task.id]?.claimKey == item.key { s.inFlight[item.task.id] = nil }
        }
        inFlightEnded.broadcast()
        return claimed
    }

    /// Hands the worker's unstarted tasks back to the queue (see ``release(_:owner:)``).
    func releaseHeld(_ work: inout WorkerRun) {
        release(work.backlog.state.withLock { $0.takeHeld() }, owner: work.owner)
    }

    /// Hands unstarted tasks back to the queue at their old place (those a user cancelled
    /// meanwhile end `cancelled`). Tasks shutdown already took over are skipped. While this runs
    /// a cancel waits, as it does for a commit.
    private func release(_ held: [TaskRecord], owner: String) {
        guard !held.isEmpty else { return }
        let entries = run.withLock { s -> [InFlightTask] in
            var taken: [InFlightTask] = []
            for task in held {
                guard var entry = s.inFlight[task.id], entry.claimKey == Self.claimKey(task), entry.phase == .running else { continue }
                entry.phase = .finishing
                s.inFlight[task.id] = entry
                taken.append(entry)
            }
            return taken
        }
        let now = clock.now()
        let handBack = entries.filter { !$0.cancelRequested }
        do {
            publish(try tasks.release(handBack.map(\.record), owner: owner, now: now))
        } catch {
            // One at a time, as a plain requeue (the queue place is lost); what fails again stays
            // `proving` until its lease expires (a single-process store: until start() recovers it).
            log("\(owner): handing back unstarted tasks failed: \(error)")
            for entry in handBack {
                if let events = try? tasks.requeue(entry.record.id, owner: owner, now: now) { publish(events) }
            }
        }
        for entry in entries where entry.cancelRequested {
            do {
                publish(try tasks.finishCancelled(entry.record.id, owner: owner, now: now))
            } catch {
                log("\(owner): cancelling unstarted task \(entry.record.id) failed: \(error)")
            }
        }
        run.withLock { s in
            for entry in entries where s.inFlight[entry.record.id]?.claimKey == entry.claimKey { s.inFlight[entry.record.id] = nil }
        }
        inFlightEnded.broadcast()
    }

    // MARK: The watchdog

    /// Marks the start of a task's handler; arms the worker's watchdog if it holds a backlog.
    func taskStarts(_ work: WorkerRun) {
        guard let batching = configuration.batching else { return }
        let arm = work.backlog.state.withLock { s -> Bool in
            s.running = .now
            guard !s.watchdogArmed, !s.isEmpty else { return false }
            s.watchdogArmed = true
            return true
        }
        if arm { armWatchdog(owner: work.owner, pool: work.pool, backlog: work.backlog, after: batching.shortTask, batching) }
    }

    /// Marks the end of a task's handler.
    func taskEnded(_ work: WorkerRun) {
        work.backlog.state.withLock { $0.running = nil }
    }

    private func armWatchdog(owner: String, pool: WorkerPool, backlog: WorkerBacklog, after delay: Duration, _ batching: TaskBatching) {
        timers.schedule(at: clock.now().addingTimeInterval(delay.seconds)) { [self] in
            watchdogFired(owner: owner, pool: pool, backlog: backlog, batching)
        }
    }

    /// If the worker's current task has run `shortTask` or longer, takes its backlog and has the
    /// pool's committer commit the batched proofs and hand the unstarted tasks back; otherwise
    /// looks again after `maxDelay` while there is a backlog.
    private func watchdogFired(owner: String, pool: WorkerPool, backlog: WorkerBacklog, _ batching: TaskBatching) {
        enum Step { case disarm, rearm, takeOver([BatchedProof], [TaskRecord]) }
        let step = backlog.state.withLock { s -> Step in
            guard !s.isEmpty else {
                s.watchdogArmed = false
                return .disarm
            }
            guard let running = s.running, ContinuousClock.now - running >= batching.shortTask else { return .rearm }
            s.watchdogArmed = false
            return .takeOver(s.takeBatch(), s.takeHeld())
        }
        switch step {
        case .disarm:
            break
        case .rearm:
            armWatchdog(owner: owner, pool: pool, backlog: backlog, after: batching.maxDelay, batching)
        case .takeOver(let batch, let held):
            let job: @Sendable () -> Void = { [self] in
                _ = commit(batch, owner: owner, thenClaim: nil, limit: 0)
                release(held, owner: owner)
            }
            if !pool.committer.trySubmit(job) { job() }
        }
    }
}
