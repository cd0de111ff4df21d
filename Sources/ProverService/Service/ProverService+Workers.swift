import Foundation
import Synchronization

extension ProverService {
    private enum Outcome: Sendable {
        case proved(ProofArtifact)
        case alreadyStored
        case failed(TaskFailure)
    }

    /// An outcome decided by a worker, to be committed (on the pool's committer thread).
    private typealias DeferredCommit = @Sendable () -> Void

    /// Claims and runs one task of the pool's backend on the calling worker thread.
    /// Returns `.idle` when there was nothing to run (or the service is stopping), `.failed`
    /// when the store failed to claim (the pool backs off and tries again).
    func runNext(pool: WorkerPool, worker: String) -> WorkerPool.Pass {
        guard !run.withLock({ $0.stopping }) else { return .idle }
        let owner = "\(configuration.ownerID)/\(worker)"
        let claimed: Transitions
        do {
            claimed = try tasks.claimNext(backend: pool.backend, owner: owner, now: clock.now())
        } catch {
            log("\(worker): claim on \(pool.backend) failed, backing off: \(error)")
            return .failed
        }
        guard var task = claimed.first?.record else { return .idle }
        publish(claimed)
        // The outcome this worker last handed to the committer; it is in the store before we return.
        var pending: PendingCommit?
        defer { pending?.wait() }
        var previous: DeferredCommit?
        // A busy worker goes on with the task it claimed after (or together with) the last outcome.
        while let (next, commit) = runClaimed(task, handingOver: previous, owner: owner, pool: pool, pending: &pending) {
            (task, previous) = (next, commit)
        }
        return .ran
    }

    /// Runs a claimed task; returns the next task if one was claimed, with this task's outcome
    /// when it is still to be committed.
    ///
    /// After a long task (`commitBehindAfter`) the worker claims its next task first and hands
    /// this task's commit to the pool's committer once it has read the next task's inputs (so
    /// the commit does not hold the store while the worker needs it), then proves while the
    /// committer writes. After a short one it commits and claims in one transaction.
    private func runClaimed(
        _ task: TaskRecord, handingOver previous: DeferredCommit?, owner: String, pool: WorkerPool, pending: inout PendingCommit?
    ) -> (TaskRecord, DeferredCommit?)? {
        let token = CancellationToken()
        let key = Self.claimKey(task)
        run.withLock { s in
            var entry = InFlightTask(record: task, token: token, owner: owner, claimKey: key)
            if s.cancelRequests.remove(key) != nil {
                entry.cancelRequested = true
                token.cancel(.cancelled)
            }
            if s.cancelling { token.cancel(.shutdown) }  // claimed just as shutdown's grace ran out
            s.inFlight[task.id] = entry
        }
        var timer: Int?
        if let timeout = task.timeoutSeconds {
            timer = timers.schedule(at: clock.now().addingTimeInterval(timeout)) { token.cancel(.timeout) }
        }
        let prepared = prepare(task)
        if let previous { handOver(previous, to: pool, pending: &pending) }
        let started = ContinuousClock.now
        let outcome = switch prepared {
        case .ready(let handler, let input): prove(input, with: handler, token: token)
        case .decided(let outcome): outcome
        }
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
        guard let (cancelled, stopping) = decision else { return nil }
        let backend = pool.backend
        let commit: @Sendable (_ thenClaim: String?) -> TaskRecord? = { [self] thenClaim in
            let next = finish(task, owner: owner, reason: reason, outcome: outcome, cancelled: cancelled, thenClaim: thenClaim)
            run.withLock { s in
                if s.inFlight[task.id]?.claimKey == key { s.inFlight[task.id] = nil }
            }
            inFlightEnded.broadcast()
            return next
        }
        guard !stopping, let threshold = configuration.commitBehindAfter, ranFor >= threshold else {
            return commit(stopping ? nil : backend).map { ($0, nil) }
        }
        let claimed: Transitions
        do {
            claimed = try tasks.claimNext(backend: backend, owner: owner, now: clock.now())
        } catch {
            log("\(owner): claim on \(backend) failed: \(error)")
            claimed = []
        }
        guard let next = claimed.first?.record else {
            // Nothing to overlap with: commit now, and claim again in the same transaction (the
            // commit may queue this task's dependents).
            return commit(backend).map { ($0, nil) }
        }
        publish(claimed)
        return (next, { _ = commit(nil) })
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

    private enum Prepared {
        case ready(any ProofHandler, ProofInput)
        /// Decided without running the handler.
        case decided(Outcome)
    }

    /// Finds the handler and reads the proofs of the task's dependencies.
    private func prepare(_ task: TaskRecord) -> Prepared {
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

    private func prove(_ input: ProofInput, with handler: any ProofHandler, token: CancellationToken) -> Outcome {
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
    private func finish(
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

    /// Number of tasks whose handlers are running now.
    public var inFlightCount: Int { run.withLock { $0.inFlight.count } }
}

