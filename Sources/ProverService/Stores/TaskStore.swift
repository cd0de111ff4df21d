import Foundation

/// Durable storage of tasks.
///
/// A store provides one primitive, ``withTransaction(_:)``: the body runs atomically and in
/// isolation (SQLite: one connection, `BEGIN IMMEDIATE`; PostgreSQL: one transaction whose
/// `nextRunnable` uses `FOR UPDATE SKIP LOCKED`). On top of it the service's operations —
/// submit a graph, claim the next runnable task, complete / fail / retry a task only if it is
/// still `proving` and owned by the caller, cancel, recover — are protocol requirements with
/// default implementations (see `TaskLedger.swift`), so a store may replace any of them with
/// a single statement.
///
/// Calls are synchronous: they are made from dedicated worker threads, which may block.
public protocol TaskStore: Sendable {
    /// Runs `body` atomically; a thrown error rolls everything back.
    func withTransaction<R: Sendable>(_ body: (any TaskStoreTransaction) throws -> R) throws -> R

    /// Sets the function that receives the events of each committed transaction, in commit
    /// order (called right after the commit, before another transaction can start, so events
    /// of one task are never published out of order). It must not call back into the store.
    func setEventSink(_ sink: (@Sendable (Transitions) -> Void)?)

    /// Inserts the new tasks of a submission and evaluates each against its dependencies.
    /// `plan` is ordered dependencies first. Existing tasks are returned as they are, except
    /// that `failed`/`cancelled` ones are reset to `pending` when `retry` is set.
    func submit(_ plan: [TaskRecord], retry: Bool, now: Date) throws -> SubmitOutcome
    /// Atomically moves up to `limit` of the best `queued` tasks of `backend` (priority, then
    /// FIFO) to `proving` owned by `owner`; their events in that order.
    func claimNext(backend: String, owner: String, now: Date, limit: Int) throws -> Transitions
    /// `proving` (owned by `owner`) → `completed`; dependents whose dependencies have now all
    /// completed become `queued`.
    func complete(_ id: TaskID, owner: String, now: Date) throws -> Transitions
    /// `proving` (owned by `owner`) → `retrying` or, when attempts are used up or the failure is
    /// permanent, `failed` (cascading to dependents).
    func fail(_ id: TaskID, owner: String, failure: TaskFailure, policy: RetryPolicy, random: Double, now: Date) throws -> Transitions
    /// `proving` (owned by `owner`) → `queued`, keeping the attempt count (shutdown, handoff).
    func requeue(_ id: TaskID, owner: String, now: Date) throws -> Transitions
    /// Hands back tasks `owner` claimed but never started: `proving` → `queued` with their
    /// attempt count and their place in the queue (queue sequence) as claimed. Tasks that are
    /// no longer `proving` owned by `owner` are left alone.
    func release(_ claimed: [TaskRecord], owner: String, now: Date) throws -> Transitions
    /// `retrying` → `queued` (the retry timer fired).
    func requeueRetry(_ id: TaskID, now: Date) throws -> Transitions
    /// Cancels a task that is not running (dependents fail). A `proving` task is returned
    /// unchanged: the caller cancels its token, and the worker later calls
    /// ``finishCancelled(_:owner:now:)``.
    func cancel(_ id: TaskID, now: Date) throws -> Transitions
    /// `proving` (owned by `owner`) → `cancelled`, failing dependents.
    func finishCancelled(_ id: TaskID, owner: String, now: Date) throws -> Transitions
    /// On start: every `proving` task goes back to `queued` (no attempt is used up). Returns the
    /// transitions and the `retrying` tasks whose timers must be rebuilt.
    func recover(now: Date) throws -> (Transitions, [TaskRecord])
    /// Reads one task.
    func task(_ id: TaskID) throws -> TaskRecord?
    /// Lists tasks matching a query, one page at a time.
    func list(_ query: TaskQuery) throws -> TaskPage
    /// Number of tasks in each state.
    func summary() throws -> [TaskState: Int]
    /// Deletes finished tasks last updated before `cutoff` that no unfinished task depends on.
    func prune(updatedBefore cutoff: Date) throws -> Int
}

/// The operations available inside a ``TaskStore`` transaction.
public protocol TaskStoreTransaction {
    /// Collects an event of this transaction for the event sink; dropped on rollback.
    func didChange(_ event: TaskEvent)
    func task(_ id: TaskID) throws -> TaskRecord?
    /// Inserts a new task (with its dependency edges). Throws if the id exists.
    func insert(_ record: TaskRecord) throws
    /// Writes `record` only if the stored task is in `expected` state (and owned by `owner`
    /// when given). Returns false when the guard did not match.
    func update(_ record: TaskRecord, expecting expected: TaskState, owner: String?) throws -> Bool
    /// Ids of the tasks that depend directly on `id`.
    func dependents(of id: TaskID) throws -> [TaskID]
    /// The best `queued` task of a backend: highest priority, then lowest queue sequence.
    func nextRunnable(backend: String) throws -> TaskRecord?
    /// A fresh, increasing FIFO sequence number.
    func nextQueueSequence() throws -> Int64
    /// All tasks in a state.
    func tasks(in state: TaskState) throws -> [TaskRecord]
    func list(_ query: TaskQuery) throws -> TaskPage
    func countByState() throws -> [TaskState: Int]
    func pruneFinished(updatedBefore cutoff: Date) throws -> Int
}

/// State changes made by one store operation, in order.
public typealias Transitions = [TaskEvent]

/// The result of ``TaskStore/submit(_:retry:now:)``.
public struct SubmitOutcome: Sendable {
    /// The stored records of the plan, in plan order (the requested task is last).
    public var records: [TaskRecord]
    public var transitions: Transitions
}

/// Filters and paging for listing tasks. Results are ordered by creation time, then id.
public struct TaskQuery: Sendable, Hashable {
    public var states: Set<TaskState>?
    public var proofType: String?
    public var backend: String?
    public var limit: Int
    /// The `nextCursor` of the previous page.
    public var cursor: String?

    public init(states: Set<TaskState>? = nil, proofType: String? = nil, backend: String? = nil, limit: Int = 100, cursor: String? = nil) {
        self.states = states
        self.proofType = proofType
        self.backend = backend
        self.limit = max(1, min(limit, 10_000))
        self.cursor = cursor
    }
}

/// One page of a listing.
public struct TaskPage: Sendable {
    public var tasks: [TaskRecord]
    /// Pass as ``TaskQuery/cursor`` to get the next page; nil on the last page.
    public var nextCursor: String?

    /// A page; stores build them from their rows.
    public init(tasks: [TaskRecord], nextCursor: String?) {
        self.tasks = tasks
        self.nextCursor = nextCursor
    }
}
