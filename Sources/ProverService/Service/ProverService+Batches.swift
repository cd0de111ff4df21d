import Foundation

/// What a worker holds during one busy stretch (see ``TaskBatching``): lives on its thread.
struct WorkerRun {
    /// A short task's proof, decided and waiting to be committed with others.
    struct BatchedProof {
        let task: TaskRecord
        let key: ProverService.ClaimKey
        let proof: StoredProof
    }

    let owner: String
    let pool: WorkerPool
    /// Tasks claimed and registered but not started, best first.
    var held: [TaskRecord] = []
    /// Proofs of short tasks not committed yet, in the order the tasks ran.
    var batch: [BatchedProof] = []
    /// When the oldest proof of ``batch`` was added.
    var batchSince: ContinuousClock.Instant?
    /// How long the handlers of the tasks in ``batch`` ran, together.
    var batchRunTime: Duration = .zero
    /// The last outcome handed to the pool's committer (at most one in flight).
    var pending: PendingCommit?
    /// The last task's commit, handed over once the next task's inputs are read.
    var previous: ProverService.DeferredCommit?

    init(owner: String, pool: WorkerPool) {
        self.owner = owner
        self.pool = pool
    }
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
        work.batch.append(WorkerRun.BatchedProof(task: task, key: Self.claimKey(task), proof: proof))
        work.batchRunTime += ranFor
        let since = work.batchSince ?? ContinuousClock.now
        work.batchSince = since
        if work.held.isEmpty {
            let mean = work.batchRunTime / work.batch.count
            let fits = mean > .zero ? batching.maxDelay / mean : Double(batching.maxTasks)
            commitBatch(&work, thenClaim: Int(min(Double(batching.maxTasks), max(1, fits))))
        } else if work.batch.count >= batching.maxTasks || ContinuousClock.now - since >= batching.maxDelay {
            commitBatch(&work, thenClaim: 0)
        }
        return true
    }

    /// Commits the worker's batched proofs in one transaction and, when `limit` > 0 and the
    /// service is not stopping, claims up to `limit` next tasks in it. If the store refuses the
    /// batch (a lease was lost, a write failed), each task is committed on its own, as a lone
    /// task's outcome is, so one bad task does not hold back the others.
    func commitBatch(_ work: inout WorkerRun, thenClaim limit: Int) {
        guard !work.batch.isEmpty, let combined else { return }
        let batch = work.batch
        work.batch = []
        work.batchSince = nil
        work.batchRunTime = .zero
        let claimNext = limit > 0 && !run.withLock { $0.stopping }
        var claimed: [TaskRecord] = []
        do {
            let events: Transitions
            (events, claimed) = try combined.complete(batch.map { ($0.task, $0.proof) }, owner: work.owner, now: clock.now(),
                                                      thenClaim: claimNext ? work.pool.backend : nil, limit: limit)
            publish(events)
        } catch {
            for item in batch {
                _ = finish(item.task, owner: work.owner, reason: nil, outcome: .proved(item.proof.artifact), cancelled: false, thenClaim: nil)
            }
        }
        run.withLock { s in
            for item in batch where s.inFlight[item.task.id]?.claimKey == item.key { s.inFlight[item.task.id] = nil }
        }
        inFlightEnded.broadcast()
        hold(claimed, in: &work)
    }

    /// Hands the worker's unstarted tasks back to the queue at their old place (those a user
    /// cancelled meanwhile end `cancelled`). Tasks shutdown already took over are skipped. While
    /// this runs a cancel waits, as it does for a commit.
    func releaseHeld(_ work: inout WorkerRun) {
        let held = work.held
        work.held = []
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
        do {
            publish(try tasks.release(entries.filter { !$0.cancelRequested }.map(\.record), owner: work.owner, now: now))
        } catch {
            // They stay `proving` until their leases expire (or, with a single-process store, until start() recovers them).
            log("\(work.owner): handing back unstarted tasks failed: \(error)")
        }
        for entry in entries where entry.cancelRequested {
            do {
                publish(try tasks.finishCancelled(entry.record.id, owner: work.owner, now: now))
            } catch {
                log("\(work.owner): cancelling unstarted task \(entry.record.id) failed: \(error)")
            }
        }
        run.withLock { s in
            for entry in entries where s.inFlight[entry.record.id]?.claimKey == entry.claimKey { s.inFlight[entry.record.id] = nil }
        }
        inFlightEnded.broadcast()
    }
}
