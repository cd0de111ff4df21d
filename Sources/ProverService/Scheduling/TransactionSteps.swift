import Foundation

/// The building blocks of every task-store operation. All state changes go through
/// ``move(_:to:now:owner:events:_:)``, which checks the state machine and guards the write
/// with the state (and owner) it read.
extension TaskStoreTransaction {
    package func require(_ id: TaskID) throws -> TaskRecord {
        guard let record = try task(id) else { throw ProverServiceError.unknownTask.with("no task \(id)") }
        return record
    }

    /// Checks that a `proving` task is owned by `owner`.
    package func requireProving(_ id: TaskID, owner: String) throws -> TaskRecord {
        let record = try require(id)
        guard record.state == .proving, record.owner == owner else {
            throw ProverServiceError.stateConflict.with(
                "task \(id) is \(record.state.rawValue) owned by \(record.owner ?? "nobody"), not proving owned by \(owner)")
        }
        return record
    }

    /// Records an event for the caller and for the store's event sink (published after commit).
    func emit(_ event: TaskEvent, into events: inout Transitions) {
        events.append(event)
        didChange(event)
    }

    /// The only place a task's state changes.
    @discardableResult
    package func move(
        _ record: TaskRecord, to next: TaskState, now: Date, owner expectedOwner: String? = nil,
        events: inout Transitions, _ mutate: (inout TaskRecord) -> Void = { _ in }
    ) throws -> TaskRecord {
        guard record.state.canTransition(to: next) else {
            throw ProverServiceError.illegalTransition.with("task \(record.id): \(record.state.rawValue) → \(next.rawValue)")
        }
        var updated = record
        updated.state = next
        updated.updatedAt = now
        if next != .proving { updated.owner = nil }
        if next != .retrying { updated.nextRunAt = nil }
        if next == .queued { updated.queueSequence = try nextQueueSequence() }
        mutate(&updated)
        guard try update(updated, expecting: record.state, owner: expectedOwner) else {
            throw ProverServiceError.stateConflict.with("task \(record.id) changed concurrently")
        }
        emit(TaskEvent(id: updated.id, from: record.state, to: next, record: updated, at: now), into: &events)
        return updated
    }

    /// Inserts the new tasks of a plan in the states their dependencies put them in; with
    /// `retry`, resets failed or cancelled ones to `pending` (attempt 0) and evaluates them again.
    /// Existing tasks are returned as they are.
    package func submitStep(_ plan: [TaskRecord], retry: Bool, now: Date) throws -> SubmitOutcome {
        var events: Transitions = []
        var records: [TaskRecord] = []
        for new in plan {
            if var existing = try task(new.id) {
                if retry && (existing.state == .failed || existing.state == .cancelled) {
                    existing = try move(existing, to: .pending, now: now, events: &events) {
                        $0.attempt = 0
                        $0.lastError = nil
                        $0.priority = new.priority
                        $0.timeoutSeconds = new.timeoutSeconds
                    }
                    existing = try evaluate(existing, now: now, events: &events)
                }
                records.append(existing)
            } else {
                records.append(try insertEvaluated(new, now: now, events: &events))
            }
        }
        return SubmitOutcome(records: records, transitions: events)
    }

    /// Moves the best `queued` task of `backend` to `proving` owned by `owner`.
    package func claimStep(backend: String, owner: String, now: Date, events: inout Transitions) throws -> TaskRecord? {
        guard let next = try nextRunnable(backend: backend) else { return nil }
        return try move(next, to: .proving, now: now, events: &events) { $0.owner = owner }
    }

    /// Up to `limit` claims (at least one is tried), best first.
    package func claimSteps(backend: String, owner: String, now: Date, limit: Int, events: inout Transitions) throws -> [TaskRecord] {
        var claimed: [TaskRecord] = []
        while claimed.count < max(1, limit), let next = try claimStep(backend: backend, owner: owner, now: now, events: &events) {
            claimed.append(next)
        }
        return claimed
    }

    /// `proving` (owned by `owner`) → `completed`, then queues dependents that became ready.
    /// `record` is the task as claimed; the write is guarded by `proving` and `owner`, so a task
    /// that was moved meanwhile (cancelled, requeued) is not overwritten.
    package func completeTask(_ record: TaskRecord, owner: String, now: Date) throws -> Transitions {
        var events: Transitions = []
        guard record.state == .proving else {
            throw ProverServiceError.stateConflict.with("task \(record.id) is \(record.state.rawValue), not proving")
        }
        try move(record, to: .completed, now: now, owner: owner, events: &events)
        try promoteDependents(of: record.id, now: now, events: &events)
        return events
    }

    /// Where a `pending` task goes given its dependencies: `queued`, `waiting`, or `failed`
    /// (with the failed or cancelled dependency as cause).
    package func decide(_ record: TaskRecord) throws -> (TaskState, TaskFailure?) {
        var ready = true
        for depID in record.dependencies {
            guard let dep = try task(depID) else {
                return (.failed, TaskFailure(code: "dependency_missing", message: "dependency \(depID) does not exist", isTransient: false))
            }
            switch dep.state {
            case .completed: continue
            case .failed, .cancelled: return (.failed, TaskFailure.dependency(depID, state: dep.state, cause: dep.lastError))
            default: ready = false
            }
        }
        return (ready ? .queued : .waiting, nil)
    }

    /// Moves a `pending` task to `queued`, `waiting` or `failed` according to its dependencies.
    package func evaluate(_ record: TaskRecord, now: Date, events: inout Transitions) throws -> TaskRecord {
        let (next, failure) = try decide(record)
        let moved = try move(record, to: next, now: now, events: &events) { if let failure { $0.lastError = failure } }
        if next == .failed { try cascadeFailure(from: moved, now: now, events: &events) }
        return moved
    }

    /// Inserts a new task directly in the state its dependencies put it in (one write instead of
    /// an insert and an update), publishing both steps: created `pending`, then the decision.
    package func insertEvaluated(_ new: TaskRecord, now: Date, events: inout Transitions) throws -> TaskRecord {
        var record = new
        record.state = .pending
        emit(TaskEvent(id: record.id, from: nil, to: .pending, record: record, at: now), into: &events)
        let (next, failure) = try decide(record)
        record.state = next
        record.lastError = failure
        if next == .queued { record.queueSequence = try nextQueueSequence() }
        try insert(record)
        emit(TaskEvent(id: record.id, from: .pending, to: next, record: record, at: now), into: &events)
        return record
    }

    /// Fails every unfinished task that (transitively) depends on a failed or cancelled one.
    package func cascadeFailure(from root: TaskRecord, now: Date, events: inout Transitions) throws {
        var stack = [root]
        while let cause = stack.popLast() {
            for dependentID in try dependents(of: cause.id) {
                guard let dependent = try task(dependentID), dependent.state == .pending || dependent.state == .waiting else {
                    continue
                }
                let failure = TaskFailure.dependency(cause.id, state: cause.state, cause: cause.lastError)
                stack.append(try move(dependent, to: .failed, now: now, events: &events) { $0.lastError = failure })
            }
        }
    }

    /// Queues the waiting dependents of a completed task whose dependencies have all completed.
    package func promoteDependents(of id: TaskID, now: Date, events: inout Transitions) throws {
        for dependentID in try dependents(of: id) {
            guard let dependent = try task(dependentID), dependent.state == .waiting else { continue }
            var ready = true
            for depID in dependent.dependencies where depID != id {
                if try task(depID)?.state != .completed {
                    ready = false
                    break
                }
            }
            if ready { try move(dependent, to: .queued, now: now, events: &events) }
        }
    }
}
