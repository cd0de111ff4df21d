import Foundation
import Synchronization

extension ProverService {
    private enum Outcome {
        case proved(ProofArtifact)
        case alreadyStored
        case failed(TaskFailure)
    }

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
        // A busy worker completes a task and claims the next one in one transaction.
        while let next = runClaimed(task, owner: owner, backend: pool.backend) {
            task = next
        }
        return .ran
    }

    /// Runs a claimed task; returns the next task if one was claimed together with the result.
    private func runClaimed(_ task: TaskRecord, owner: String, backend: String) -> TaskRecord? {
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
        let outcome = prove(task, token: token)
        // Why the token was cancelled when the handler returned; a timeout or shutdown firing
        // after that did not cause the handler's failure.
        let reason = token.reason
        if let timer { timers.cancel(timer) }
        // Decide, then commit. From the decision on, a cancel waits for the commit instead of
        // being accepted, and the entry stays in `inFlight` until the outcome is in the store.
        let decision = run.withLock { s -> Bool? in
            guard var entry = s.inFlight[task.id], entry.claimKey == key, entry.phase == .running else {
                return nil  // shutdown took the task over
            }
            entry.phase = .finishing
            s.inFlight[task.id] = entry
            return entry.cancelRequested
        }
        guard let cancelled = decision else { return nil }
        let next = finish(task, owner: owner, reason: reason, outcome: outcome, cancelled: cancelled, backend: backend)
        run.withLock { s in
            if s.inFlight[task.id]?.claimKey == key { s.inFlight[task.id] = nil }
        }
        inFlightEnded.broadcast()
        return next
    }

    private func prove(_ task: TaskRecord, token: CancellationToken) -> Outcome {
        do {
            // A crash after the proof was stored but before the task completed: do not prove twice.
            // (A combined store stores and completes atomically, so it cannot happen there.)
            if combined == nil, try proofs.proof(for: task.id) != nil { return .alreadyStored }
            guard let handler = registry.handler(for: task.proofType) else {
                return .failed(TaskFailure(code: "unknown_proof_type", message: "no handler for \(task.proofType)", isTransient: false))
            }
            var inputs: [DependencyOutput] = []
            for depID in task.dependencies {
                guard let proof = try proofs.proof(for: depID) else {
                    return .failed(TaskFailure(code: "dependency_missing", message: "no proof for dependency \(depID)", isTransient: false))
                }
                inputs.append(DependencyOutput(taskID: depID, proofType: proof.proofType, artifact: proof.artifact))
            }
            let input = ProofInput(taskID: task.id, proofType: task.proofType, backend: task.backend, context: task.context,
                                   attempt: task.attempt, dependencies: inputs)
            do {
                return .proved(try handler.prove(input, cancellation: token))
            } catch {
                let failureClass = handler.classify(error)
                return .failed(TaskFailure(code: "handler", message: String(describing: error), isTransient: failureClass == .transient))
            }
        } catch {
            return .failed(TaskFailure(code: "storage", message: String(describing: error), isTransient: true))
        }
    }

    /// Commits the outcome of a run. Exactly one outcome wins, in this order: a user's cancel
    /// accepted while the handler ran (`cancelled`, any proof is discarded); a proof (stored and
    /// `completed`, even if a timeout or shutdown fired as the handler returned: a proof is never
    /// thrown away for being late); for a failure, the reason the token was cancelled (shutdown:
    /// requeued without using an attempt; timeout: a transient `timeout` failure), else the
    /// handler's own failure. Every write is guarded by `proving` and the owner.
    private func finish(
        _ task: TaskRecord, owner: String, reason: CancellationReason?, outcome: Outcome, cancelled: Bool, backend: String
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
                        let claimNext = run.withLock { !$0.stopping }
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
