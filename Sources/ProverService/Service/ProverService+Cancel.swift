import Foundation

extension ProverService {
    /// Cancels a task, and returns its record.
    ///
    /// - Pending, waiting, queued and retrying tasks are cancelled at once (tasks that depend on
    ///   them fail); the record returned is `cancelled`.
    /// - A task one of this service's workers is proving is cancelled through its token; the
    ///   record returned is `proving`, and the task **will** end `cancelled` (dependents fail)
    ///   once its handler returns, whatever the handler returns, unless a timeout or shutdown
    ///   already ended it.
    /// - If the worker had already decided the task's outcome, the call waits until that outcome
    ///   is committed and returns the final record: a cancel never races a completion.
    /// - Completed, failed and cancelled tasks are returned unchanged. So is a task that another
    ///   process is proving (only its owner can stop it; a task left `proving` by a process that
    ///   died is requeued by ``start()``).
    ///
    /// Blocks the calling thread on the store.
    @discardableResult
    public func cancel(_ id: TaskID) throws -> TaskRecord {
        // Each round ends unless the task changed state under our feet (claimed, requeued by a
        // shutdown, retried after a timeout); then the new state is cancelled in the next round.
        for _ in 0..<8 {
            if let accepted = cancelIfRunningHere(id) { return accepted }
            publish(try tasks.cancel(id, now: clock.now()))
            let record = try status(id)
            guard record.state == .proving, isOurs(record) else { return record }
            // One of our workers claimed it between the two steps and has not registered it yet
            // (or has just finished it): leave a request that it takes when it registers.
            let key = Self.claimKey(record)
            let registered = run.withLock { s in
                if let entry = s.inFlight[id], entry.claimKey == key { return true }
                s.cancelRequests.insert(key)
                return false
            }
            if registered { continue }
            let now = try status(id)
            if now.state == .proving, Self.claimKey(now) == key { return now }  // the worker will see the request
            // That claim ended before its worker registered it: the request is void.
            run.withLock { _ = $0.cancelRequests.remove(key) }
            if now.state.isFinal { return now }
        }
        return try status(id)
    }

    /// Cancels the task if one of our workers is running it: returns the `proving` record if the
    /// cancel was accepted, nil if the task is not in flight here (any more). Waits while the
    /// worker commits an outcome it already decided.
    private func cancelIfRunningHere(_ id: TaskID) -> TaskRecord? {
        enum Step {
            case accepted(TaskRecord, CancellationToken)
            case committing(ClaimKey)
            case notRunning
        }
        while true {
            let step = run.withLock { s -> Step in
                guard var entry = s.inFlight[id] else { return .notRunning }
                guard entry.phase == .running else { return .committing(entry.claimKey) }
                entry.cancelRequested = true
                s.inFlight[id] = entry
                return .accepted(entry.record, entry.token)
            }
            switch step {
            case .accepted(let record, let token):
                token.cancel(.cancelled)
                return record
            case .notRunning:
                return nil
            case .committing(let key):
                inFlightEnded.wait {
                    run.withLock { $0.inFlight[id]?.claimKey != key }
                }
            }
        }
    }

    /// Whether a `proving` record was claimed by a worker of this service.
    private func isOurs(_ record: TaskRecord) -> Bool {
        guard let owner = record.owner, owner.hasPrefix("\(configuration.ownerID)/") else { return false }
        return run.withLock { $0.started }
    }
}
