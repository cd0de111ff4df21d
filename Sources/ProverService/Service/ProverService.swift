import Foundation
import Synchronization

/// The orchestrator: accepts proof requests, runs them on per-backend pools of dedicated
/// threads in priority-then-FIFO order, orders dependencies, retries transient failures with
/// backoff, and keeps every state change in a ``TaskStore``.
///
/// ```swift
/// let store = try SQLiteStore(path: "prover-data/tasks.sqlite")
/// let service = try ProverService(handlers: [MyHandler()], taskStore: store, proofStore: store)
/// try service.start()
/// let proof = try await service.execute(ProofRequest(proofType: "my-proof", context: bytes))
/// await service.shutdown(gracePeriod: .seconds(10))
/// ```
public final class ProverService: Sendable {
    public let configuration: ServiceConfiguration
    public let registry: HandlerRegistry
    let tasks: any TaskStore
    let proofs: any ProofStore
    /// Set when tasks and proofs live in one store that completes atomically.
    let combined: (any CombinedStore)?
    let clock: any ServiceClock
    let hub = EventHub()
    let timers: TimerThread
    /// Heartbeat, reaper and remote waits; runs only with a ``LeasingStore``.
    let leaseKeeper = PeriodicThread(name: "prover-lease")
    /// Makes the store calls of the async API (never on the cooperative pool).
    let storeThread = StoreThread()
    let pools: [String: WorkerPool]
    /// Counts the pools' running worker threads.
    let workerThreads = ThreadLatch()
    let run = Mutex(RunState())

    struct RunState {
        var started = false
        /// Shutdown began: no new submissions or claims.
        var stopping = false
        /// Shutdown's grace period ran out: running (and newly registered) tasks are cancelled.
        var cancelling = false
        var inFlight: [TaskID: InFlightTask] = [:]
        /// Cancels of tasks claimed by a worker that has not registered them yet.
        var cancelRequests: Set<ClaimKey> = []
    }

    /// Broadcast when an in-flight task leaves ``RunState/inFlight`` (its outcome is committed).
    let inFlightEnded = ConditionBox()

    public init(
        configuration: ServiceConfiguration = ServiceConfiguration(), handlers: [any ProofHandler],
        taskStore: any TaskStore, proofStore: any ProofStore, clock: any ServiceClock = SystemClock()
    ) {
        self.configuration = configuration
        self.registry = HandlerRegistry(handlers)
        self.tasks = taskStore
        self.proofs = proofStore
        if let store = taskStore as? any CombinedStore, (store as AnyObject) === (proofStore as AnyObject) {
            self.combined = store
        } else {
            self.combined = nil
        }
        self.clock = clock
        self.timers = TimerThread(clock: clock)
        let hub = self.hub
        taskStore.setEventSink { events in hub.publish(events) }
        var pools: [String: WorkerPool] = [:]
        for (backend, size) in configuration.workers {
            pools[backend] = WorkerPool(backend: backend, size: size, threads: workerThreads)
        }
        self.pools = pools
    }

    deinit {
        // Only reached when no worker thread holds the service (never started, or shut down).
        storeThread.stop()
        timers.stop()
        leaseKeeper.stop()
        for pool in pools.values { pool.committer.stop() }
    }

    /// Recovers interrupted work (proving → queued without using an attempt; retry timers
    /// rebuilt from stored times) and starts the worker threads. Calling it again does
    /// nothing; after ``shutdown(gracePeriod:cancellationGrace:)`` it throws `shuttingDown`.
    ///
    /// With a ``LeasingStore`` (shared by several nodes) only expired leases are requeued, and
    /// the `prover-lease` thread starts: lease heartbeat, reaper, remote waits.
    public func start() throws {
        let first = try run.withLock { s in
            if s.stopping { throw ProverServiceError.shuttingDown.with("the service was shut down; create a new one") }
            defer { s.started = true }
            return !s.started
        }
        guard first else { return }
        let leasing = tasks as? any LeasingStore
        if let leasing { attach(leasing) }
        let events: Transitions, retrying: [TaskRecord]
        do {
            // A shared store completes atomically; its proving tasks belong to live nodes.
            if leasing == nil { try completeStrandedProofs() }
            (events, retrying) = try tasks.recover(now: clock.now())
        } catch {
            run.withLock { $0.started = false }  // recovery failed: a later start() tries again
            throw error
        }
        publish(events)
        timers.start()
        if let leasing { startLeaseKeeper(leasing) }
        for record in retrying { scheduleRetry(record.id, at: record.nextRunAt ?? clock.now()) }
        for pool in pools.values {
            pool.start { [self] worker in runNext(pool: pool, worker: worker) }
        }
    }

    /// Submits a request and its dependency graph. Idempotent: the same request returns the
    /// same task. With `retry`, a failed or cancelled task (and failed or cancelled tasks in its
    /// graph) is reset to run again. The handlers canonicalize on the caller; the store
    /// transaction runs on the service's store thread.
    @discardableResult
    public func submit(_ request: ProofRequest, retry: Bool = false) async throws -> TaskRecord {
        try await submitBatch([request], retry: retry)[0]
    }

    /// Submits several requests in one store transaction.
    @discardableResult
    public func submit(_ requests: [ProofRequest], retry: Bool = false) async throws -> [TaskRecord] {
        try await submitBatch(requests, retry: retry)
    }

    func submitBatch(_ requests: [ProofRequest], retry: Bool) async throws -> [TaskRecord] {
        if run.withLock({ $0.stopping }) { throw ProverServiceError.shuttingDown }
        var planner = SubmissionPlanner(registry: registry, backends: Set(pools.keys), defaultTimeout: configuration.defaultTimeout, now: clock.now())
        let roots = try requests.map { try planner.add($0) }
        let plan = planner.tasks
        let outcome = try await storeThread.run { [self] in
            // Checked again in order with the store calls of a shutdown that began meanwhile.
            if run.withLock({ $0.stopping }) { throw ProverServiceError.shuttingDown }
            return try tasks.submit(plan, retry: retry, now: clock.now())
        }
        publish(outcome.transitions)
        let byID = Dictionary(outcome.records.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        return roots.map { byID[$0]! }
    }

    /// Submits and waits (without blocking a thread) until the task is final. Returns the proof,
    /// or throws `taskFailed` / `taskCancelled`.
    public func execute(_ request: ProofRequest, retry: Bool = false) async throws -> StoredProof {
        let record = try await submit(request, retry: retry)
        let final = try await wait(for: record.id)
        switch final.state {
        case .completed:
            let proofs = self.proofs
            guard let proof = try await storeThread.run({ try proofs.proof(for: record.id) }) else {
                throw ProverServiceError.storage.with("proof of \(record.id) missing")
            }
            return proof
        case .cancelled:
            throw ProverServiceError.taskCancelled.with("task \(record.id) was cancelled")
        default:
            throw ProverServiceError.taskFailed.with("task \(record.id) failed: \(final.lastError.map(String.init(describing:)) ?? "unknown")")
        }
    }

    /// Waits (without blocking a thread) until a submitted task is completed, failed or
    /// cancelled, and returns its final record. Throws `unknownTask` for an unknown id.
    public func wait(for id: TaskID) async throws -> TaskRecord {
        let tasks = self.tasks
        let storeThread = self.storeThread
        return try await hub.waitForFinal(id) { done in
            storeThread.submit({
                guard let record = try tasks.task(id) else { throw ProverServiceError.unknownTask.with("no task \(id)") }
                return record
            }, then: done)
        }
    }

    /// The stored task, or `unknownTask`.
    public func status(_ id: TaskID) throws -> TaskRecord {
        guard let record = try tasks.task(id) else { throw ProverServiceError.unknownTask.with("no task \(id)") }
        return record
    }

    /// The stored proof of a completed task, nil if it has none yet.
    public func proof(_ id: TaskID) throws -> StoredProof? { try proofs.proof(for: id) }

    /// Lists tasks with filters, one page at a time.
    public func list(_ query: TaskQuery = TaskQuery()) throws -> TaskPage { try tasks.list(query) }

    /// Counts of tasks per state.
    public func summary() throws -> TaskSummary { TaskSummary(counts: try tasks.summary()) }

    /// A stream of the state changes from now on: all of them, or only those entering `states`.
    /// A consumer slower than the service loses the oldest events beyond
    /// ``ServiceConfiguration/eventBufferLimit``.
    public func events(states: Set<TaskState>? = nil) -> AsyncStream<TaskEvent> {
        hub.stream(states: states, bufferLimit: configuration.eventBufferLimit)
    }

    /// Deletes finished tasks last updated more than `retention` ago (and not needed by an
    /// unfinished task). Proofs are kept. Returns the number of tasks deleted.
    @discardableResult
    public func prune(olderThan retention: Duration) throws -> Int {
        try tasks.prune(updatedBefore: clock.now().addingTimeInterval(-retention.seconds))
    }

    /// A task left `proving` whose proof was already stored (a crash between storing the proof
    /// and completing the task, possible with separate stores) is completed, not proved again.
    private func completeStrandedProofs() throws {
        var cursor: String?
        repeat {
            let page = try tasks.list(TaskQuery(states: [.proving], limit: 1_000, cursor: cursor))
            for record in page.tasks {
                if let owner = record.owner, try proofs.proof(for: record.id) != nil {
                    publish(try tasks.complete(record.id, owner: owner, now: clock.now()))
                }
            }
            cursor = page.nextCursor
        } while cursor != nil
    }

    /// Identifies one claim of a task (a task claimed again after a requeue gets a new key).
    struct ClaimKey: Hashable {
        let id: TaskID
        let claimedAt: Int64
    }

    static func claimKey(_ record: TaskRecord) -> ClaimKey { ClaimKey(id: record.id, claimedAt: record.updatedAt.micros) }

    /// Wakes the pools of tasks that became queued. (Events reach streams and waiters through
    /// the store's event sink, in commit order.)
    func publish(_ events: Transitions) {
        guard !events.isEmpty else { return }
        var woken: Set<String> = []
        for event in events where event.to == .queued && woken.insert(event.record.backend).inserted {
            pools[event.record.backend]?.signal()
        }
    }

    /// Queues a `retrying` task again at `deadline`. If the store fails, the timer is armed
    /// again after a backoff (10 ms, doubling, at most 1 s): a store error must not leave the
    /// task `retrying` with no timer until the next start.
    func scheduleRetry(_ id: TaskID, at deadline: Date, failures: Int = 0) {
        timers.schedule(at: deadline) { [self] in
            do {
                publish(try tasks.requeueRetry(id, now: clock.now()))
            } catch let error as ProverServiceError where error == .stateConflict || error == .unknownTask {
                // Cancelled or pruned meanwhile.
            } catch {
                let delay = WorkerPool.backoff(afterFailures: failures + 1)
                log("retry timer for \(id): \(error); trying again in \(delay) s")
                scheduleRetry(id, at: clock.now().addingTimeInterval(delay), failures: failures + 1)
            }
        }
    }

    func log(_ message: String) { configuration.log(message) }
}

/// Counts of tasks per state.
public struct TaskSummary: Sendable, Hashable {
    public let counts: [TaskState: Int]
    public var total: Int { counts.values.reduce(0, +) }
    public subscript(state: TaskState) -> Int { counts[state] ?? 0 }
}
