import Foundation
import Synchronization

extension ProverService {
    enum Outcome: Sendable {
        case proved(ProofArtifact)
        case alreadyStored
        case failed(TaskFailure)
    }

    /// An outcome decided by a worker, to be committed (on the pool's committer thread).
    typealias DeferredCommit = @Sendable () -> Void

    /// Claims and runs tasks of the pool's backend on the calling worker thread, for as long as
    /// it finds work. Returns `.idle` when there was nothing to run (or the service is stopping),
    /// `.failed` when the store failed to claim (the pool backs off and tries again).
    func runNext(pool: WorkerPool, worker: String) -> WorkerPool.Pass {
        guard !run.withLock({ $0.stopping }) else { return .idle }
        var work = WorkerRun(owner: "\(configuration.ownerID)/\(worker)", pool: pool)
        do {
            try claim(into: &work, limit: 1)
        } catch {
            log("\(worker): claim on \(pool.backend) failed, backing off: \(error)")
            return .failed
        }
        guard !work.holdsNothing else { return .idle }
        // A busy worker goes on with the tasks it claimed after (or together with) its last outcomes.
        while true {
            if run.withLock({ $0.stopping }) {
                releaseHeld(&work)
                break
            }
            let next = work.backlog.state.withLock { s in s.held.isEmpty ? nil : s.held.removeFirst() }
            guard let next else { break }
            runClaimed(next, &work)
        }
        commitBatch(&work, thenClaim: 0)
        if let previous = work.previous {
            work.pending?.wait()
            previous()
        }
        // The outcome this worker last handed to the committer is in the store before we return.
        work.pending?.wait()
        return .ran
    }

    /// Claims up to `limit` tasks for `work` and holds them.
    private func claim(into work: inout WorkerRun, limit: Int) throws {
        let claimed = try tasks.claimNext(backend: work.pool.backend, owner: work.owner, now: clock.now(), limit: limit)
        publish(claimed)
        hold(claimed.map(\.record), in: &work)
    }

    /// Registers claimed tasks as in flight (leased by the heartbeat, cancellable, handed back
    /// by shutdown) and queues them on the worker, best first.
    func hold(_ claimed: [TaskRecord], in work: inout WorkerRun) {
        guard !claimed.isEmpty else { return }
        run.withLock { s in
            for task in claimed {
                let token = CancellationToken()
                let key = Self.claimKey(task)
                var entry = InFlightTask(record: task, token: token, owner: work.owner, claimKey: key)
                if s.cancelRequests.remove(key) != nil {
                    entry.cancelRequested = true
                    token.cancel(.cancelled)
                }
                if s.cancelling { token.cancel(.shutdown) }  // claimed just as shutdown's grace ran out
                s.inFlight[task.id] = entry
            }
        }
        work.backlog.state.withLock { $0.held += claimed }
    }

    /// Runs a claimed task and commits its outcome, or leaves the commit for later: in the
    /// worker's batch (a short task's proof), or as `work.previous` (a long task's, handed to
    /// the committer once the next task's inputs are read). Claims the worker's next task(s)
    /// when it holds none.
    ///
    /// After a long task (`commitBehindAfter`) the worker claims its next task first and hands
    /// this task's commit to the pool's committer once it has read the next task's inputs (so
    /// the commit does not hold the store while the worker needs it), then proves while the
    /// committer writes. After a short one it commits and claims in one transaction.
    private func runClaimed(_ task: TaskRecord, _ work: inout WorkerRun) {
        let key = Self.claimKey(task)
        let token = run.withLock { s -> CancellationToken? in
            guard let entry = s.inFlight[task.id], entry.claimKey == key, entry.phase == .running else { return nil }
            return entry.token
        }
        // Shutdown handed the task back while it waited its turn.
        guard let token else { return }
        var timer: Int?
        if let timeout = task.timeoutSeconds {
            timer = timers.schedule(at: clock.now().addingTimeInterval(timeout)) { token.cancel(.timeout) }
        }
        // A task cancelled while it waited its turn does not start.
        let prepared = token.reason == nil
            ? prepare(task)
            : .decided(.failed(TaskFailure(code: "cancelled", message: "cancelled before it started", isTransient: true)))
        if let previous = work.previous {
            handOver(previous, to: work.pool, pending: &work.pending)
            work.previous = nil
        }
        let started = ContinuousClock.now
        taskStarts(work)
        let outcome = switch prepared {
        case .ready(let handler, let input): prove(input, with: handler, token: token)
        case .decided(let outcome): outcome
        }
        taskEnded(work)
        let ranFor = ContinuousClock.now - started
        // Why the token was cancelled when the handler returned; a timeout or shutdown firing
        // after that did not cause the handler's failure.
        let reason = token.reason
        if let timer { timers.cancel(timer) }
        // Decide, then commit. From the decision on, a cancel waits for the commit instead of
        // being accepted, and the entry stays in `inFlight` until the outcome is in the store.
        let decision = run.withLock { s -> (cancelled: Bool, stopping: Bool)? in
            guard var entry = s.inFlight[task.id], entry.claimKey == key, entry.phase == .running else {
                return nil  // shutdown took the task over
            }
            entry.phase = .finishing
            s.inFlight[task.id] = entry
            return (entry.cancelRequested, s.stopping)
        }
        guard let (cancelled, stopping) = decision else { return }
        let short = configuration.batching.map { ranFor < $0.shortTask } ?? false
        if short, !cancelled, !stopping, case .proved(let artifact) = outcome,
           batch(StoredProof(taskID: task.id, proofType: task.proofType, artifact: artifact, createdAt: clock.now()), of: task,
                 ranFor: ranFor, &work)
        {
            return
        }
        // The proofs batched so far go first; after a long task the unstarted claims go back to
        // the queue, for other workers and nodes to share.
        commitBatch(&work, thenClaim: 0)
        if !short { releaseHeld(&work) }
        let backend = work.pool.backend
        let owner = work.owner
        let commit: @Sendable (_ thenClaim: String?) -> TaskRecord? = { [self] thenClaim in
            let next = finish(task, owner: owner, reason: reason, outcome: outcome, cancelled: cancelled, thenClaim: thenClaim)
            run.withLock { s in
                if s.inFlight[task.id]?.claimKey == key { s.inFlight[task.id] = nil }
            }
            inFlightEnded.broadcast()
            return next
        }
        guard !stopping, let threshold = configuration.commitBehindAfter, ranFor >= threshold else {
            if let next = commit(stopping || !work.holdsNothing ? nil : backend) { hold([next], in: &work) }
            return
        }
        do {
            try claim(into: &work, limit: 1)
        } catch {
            log("\(owner): claim on \(backend) failed: \(error)")
        }
        guard !work.holdsNothing else {
            // Nothing to overlap with: commit now, and claim again in the same transaction (the
            // commit may queue this task's dependents).
            if let next = commit(backend) { hold([next], in: &work) }
            return
        }
        work.previous = { _ = commit(nil) }
    }

    /// Gives a decided outcome to the pool's committer, after the worker's previous one is in
    /// the store (at most one per worker in flight). Commits on the calling thread if the
    /// committer has stopped.
    private func handOver(_ commit: @escaping DeferredCommit, to pool: WorkerPool, pending: inout PendingCommit?) {
        pending?.wait()
        let handed = PendingCommit()
        if pool.committer.trySubmit({ commit(); handed.markDone() }) {
            pending = handed
        } else {
            commit()
            pending = nil
        }
    }

    enum Prepared {
        case ready(any ProofHandler, ProofInput)
        /// Decided without running the handler.
        case decided(Outcome)
    }

    /// Finds the handler and reads the proofs of the task's dependencies.
    func prepare(_ task: TaskRecord) -> Prepared {
        do {
            // A crash after the proof was stored but before the task completed: do not prove twice.
            // (A combined store stores and completes atomically, so it cannot happen there.)
            if combined == nil, try proofs.proof(for: task.id) != nil { return .decided(.alreadyStored) }
            guard let handler = registry.handler(for: task.proofType) else {
                return .decided(.failed(TaskFailure(code: "unknown_proof_type", message: "no handler for \(task.proofType)", isTransient: false)))
            }
            var inputs: [DependencyOutput] = []
            for depID in task.dependencies {
                guard let proof = try proofs.proof(for: depID) else {
                    return .decided(.failed(TaskFailure(code: "dependency_missing", message: "no proof for dependency \(depID)", isTransient: false)))
                }
                inputs.append(DependencyOutput(taskID: depID, proofType: proof.proofType, artifact: proof.artifact))
            }
            return .ready(handler, ProofInput(taskID: task.id, proofType: task.proofType, backend: task.backend, context: task.context,
                                              attempt: task.attempt, dependencies: inputs))
        } catch {
            return .decided(.failed(TaskFailure(code: "storage", message: String(describing: error), isTransient: true)))
        }
    }

    func prove(_ input: ProofInput, with handler: any ProofHandler, token: CancellationToken) -> Outcome {
        do {
            return .proved(try handler.prove(input, cancellation: token))
        } catch {
            let failureClass = handler.classify(error)
            return .failed(TaskFailure(code: "handler", message: String(describing: error), isTransient: failureClass == .transient))
        }
    }

    /// Commits the outcome of a run. Exactly one outcome wins, in this order: a user's cancel
    /// accepted while the handler ran (`cancelled`, any proof is discarded); a proof (stored and
    /// `completed`, even if a timeout or shutdown fired as the handler returned: a proof is never
    /// thrown away for being late); for a failure, the reason the token was cancelled (shutdown:
    /// requeued without using an attempt; timeout: a transient `timeout` failure), else the
    /// handler's own failure. Every write is guarded by `proving` and the owner.
    func finish(
        _ task: TaskRecord, owner: String, reason: CancellationReason?, outcome: Outcome, cancelled: Bool, thenClaim backend: String?
    ) -> TaskRecord? {
        let now = clock.now()
        var claimed: TaskRecord?
        do {
            let events: Transitions
            switch (cancelled, outcome, reason) {
            case (true, _, _):
                events = try tasks.finishCancelled(task.id, owner: owner, now: now)
            case (false, .proved(let artifact), _):
                let proof = StoredProof(taskID: task.id, proofType: task.proofType, artifact: artifact, createdAt: now)
                do {
                    if let combined {
                        let claimNext = backend != nil && run.withLock { !$0.stopping }
                        (events, claimed) = try combined.complete(task, owner: owner, storing: proof, now: now,
                                                                  thenClaim: claimNext ? backend : nil)
                    } else {
                        try proofs.putProof(proof)
                        events = try tasks.complete(task.id, owner: owner, now: now)
                    }
                } catch let error as ProverServiceError where error == .proofConflict {
                    // Proofs are write-once: an earlier proof of this task stands.
                    events = try tasks.complete(task.id, owner: owner, now: now)
                }
            case (false, .alreadyStored, _):
                events = try tasks.complete(task.id, owner: owner, now: now)
            case (false, .failed, .shutdown?):
                events = try tasks.requeue(task.id, owner: owner, now: now)
            case (false, .failed, .timeout?):
                let failure = TaskFailure(code: "timeout", message: "exceeded \(task.timeoutSeconds ?? 0) s", isTransient: true)
                events = try failTask(task, owner: owner, failure: failure, now: now)
            case (false, .failed(let failure), _):
                events = try failTask(task, owner: owner, failure: failure, now: now)
            }
            publish(events)
            for event in events where event.to == .retrying {
                scheduleRetry(event.id, at: event.record.nextRunAt ?? now)
            }
        } catch let error as ProverServiceError where error == .stateConflict {
            // Someone else moved the task (another process recovered it); a late result never
            // overwrites.
        } catch {
            // The store refused the result (disk full, a proof too large…): never leave the task
            // stranded in `proving`; record a transient failure, or at least hand it back.
            log("finishing \(task.id) failed: \(error)")
            // A value the store cannot hold will not fit on a retry either.
            let tooLarge = (error as? ProverServiceError) == .valueTooLarge
            let failure = TaskFailure(code: tooLarge ? "value_too_large" : "storage", message: "\(error)", isTransient: !tooLarge)
            do {
                let events = try failTask(task, owner: owner, failure: failure, now: now)
                publish(events)
                for event in events where event.to == .retrying {
                    scheduleRetry(event.id, at: event.record.nextRunAt ?? now)
                }
            } catch {
                if let events = try? tasks.requeue(task.id, owner: owner, now: now) { publish(events) }
            }
        }
        return claimed
    }

    private func failTask(_ task: TaskRecord, owner: String, failure: TaskFailure, now: Date) throws -> Transitions {
        try tasks.fail(task.id, owner: owner, failure: failure, policy: configuration.retry, random: configuration.random(), now: now)
    }

    /// Number of tasks this service's workers have claimed and not yet committed: running, or
    /// waiting their turn in a worker's batch.
    public var inFlightCount: Int { run.withLock { $0.inFlight.count } }
}

