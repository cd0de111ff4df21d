import Foundation

/// Default implementations of the ``TaskStore`` operations, written once over
/// ``TaskStoreTransaction`` so every store shares the same state machine.
extension TaskStore {
    public func submit(_ plan: [TaskRecord], retry: Bool, now: Date) throws -> SubmitOutcome {
        try withTransaction { tx in try tx.submitStep(plan, retry: retry, now: now) }
    }

    /// Claims the best queued task of `backend` (``claimNext(backend:owner:now:limit:)`` with limit 1).
    public func claimNext(backend: String, owner: String, now: Date) throws -> Transitions {
        try claimNext(backend: backend, owner: owner, now: now, limit: 1)
    }

    public func claimNext(backend: String, owner: String, now: Date, limit: Int) throws -> Transitions {
        try withTransaction { tx in
            var events: Transitions = []
            _ = try tx.claimSteps(backend: backend, owner: owner, now: now, limit: limit, events: &events)
            return events
        }
    }

    public func complete(_ id: TaskID, owner: String, now: Date) throws -> Transitions {
        try withTransaction { tx in
            try tx.completeTask(tx.requireProving(id, owner: owner), owner: owner, now: now)
        }
    }

    public func fail(_ id: TaskID, owner: String, failure: TaskFailure, policy: RetryPolicy, random: Double, now: Date) throws -> Transitions {
        try withTransaction { tx in
            var events: Transitions = []
            let record = try tx.requireProving(id, owner: owner)
            let attempt = failure.isTransient ? record.attempt + 1 : record.attempt
            if failure.isTransient && policy.allowsRetry(afterFailures: attempt) {
                let delay = policy.delaySeconds(afterFailures: attempt, random: random)
                try tx.move(record, to: .retrying, now: now, owner: owner, events: &events) {
                    $0.attempt = attempt
                    $0.lastError = failure
                    $0.nextRunAt = now.addingTimeInterval(delay)
                }
            } else {
                let failed = try tx.move(record, to: .failed, now: now, owner: owner, events: &events) {
                    $0.attempt = attempt
                    $0.lastError = failure
                }
                try tx.cascadeFailure(from: failed, now: now, events: &events)
            }
            return events
        }
    }

    public func requeue(_ id: TaskID, owner: String, now: Date) throws -> Transitions {
        try withTransaction { tx in
            var events: Transitions = []
            let record = try tx.requireProving(id, owner: owner)
            try tx.move(record, to: .queued, now: now, owner: owner, events: &events)
            return events
        }
    }

    public func release(_ claimed: [TaskRecord], owner: String, now: Date) throws -> Transitions {
        try withTransaction { tx in
            var events: Transitions = []
            for record in claimed {
                guard let current = try tx.task(record.id), current.state == .proving, current.owner == owner else { continue }
                try tx.move(current, to: .queued, now: now, owner: owner, events: &events) { $0.queueSequence = record.queueSequence }
            }
            return events
        }
    }

    public func requeueRetry(_ id: TaskID, now: Date) throws -> Transitions {
        try withTransaction { tx in
            var events: Transitions = []
            let record = try tx.require(id)
            guard record.state == .retrying else {
                throw ProverServiceError.stateConflict.with("task \(id) is \(record.state.rawValue), not retrying")
            }
            // A timer left over from an earlier retry cycle (the task was cancelled and
            // resubmitted meanwhile) must not cut the current backoff short.
            if let due = record.nextRunAt, due.timeIntervalSince(now) > 0.001 {
                throw ProverServiceError.stateConflict.with("task \(id) is not due until \(due)")
            }
            try tx.move(record, to: .queued, now: now, events: &events)
            return events
        }
    }

    public func cancel(_ id: TaskID, now: Date) throws -> Transitions {
        try withTransaction { tx in
            var events: Transitions = []
            let record = try tx.require(id)
            switch record.state {
            case .pending, .waiting, .queued, .retrying:
                let cancelled = try tx.move(record, to: .cancelled, now: now, events: &events)
                try tx.cascadeFailure(from: cancelled, now: now, events: &events)
            case .proving, .completed, .failed, .cancelled:
                break
            }
            return events
        }
    }

    public func finishCancelled(_ id: TaskID, owner: String, now: Date) throws -> Transitions {
        try withTransaction { tx in
            var events: Transitions = []
            let record = try tx.requireProving(id, owner: owner)
            let cancelled = try tx.move(record, to: .cancelled, now: now, owner: owner, events: &events)
            try tx.cascadeFailure(from: cancelled, now: now, events: &events)
            return events
        }
    }

    public func recover(now: Date) throws -> (Transitions, [TaskRecord]) {
        try withTransaction { tx in
            var events: Transitions = []
            for record in try tx.tasks(in: .proving) {
                try tx.move(record, to: .queued, now: now, events: &events)
            }
            for record in try tx.tasks(in: .pending) {
                _ = try tx.evaluate(record, now: now, events: &events)
            }
            return (events, try tx.tasks(in: .retrying))
        }
    }

    public func task(_ id: TaskID) throws -> TaskRecord? {
        try withTransaction { try $0.task(id) }
    }

    public func list(_ query: TaskQuery) throws -> TaskPage {
        try withTransaction { try $0.list(query) }
    }

    public func summary() throws -> [TaskState: Int] {
        try withTransaction { try $0.countByState() }
    }

    public func prune(updatedBefore cutoff: Date) throws -> Int {
        try withTransaction { try $0.pruneFinished(updatedBefore: cutoff) }
    }

    /// Applies one explicit transition, guarded by the expected current state. For tools and
    /// tests that exercise the state machine directly.
    package func applyTransition(_ id: TaskID, from expected: TaskState, to next: TaskState, now: Date) throws -> TaskRecord {
        try withTransaction { tx in
            var events: Transitions = []
            let record = try tx.require(id)
            guard record.state == expected else {
                throw ProverServiceError.stateConflict.with("task \(id) is \(record.state.rawValue), expected \(expected.rawValue)")
            }
            return try tx.move(record, to: next, now: now, events: &events)
        }
    }
}
