import Foundation
import Logging
import NIOCore
import PostgresNIO
import ProverService
import Synchronization

/// The multi-node store: tasks and proofs in PostgreSQL, shared by several `prover serve`
/// processes (docs/orchestration.md, "PostgreSQL").
///
/// - Claims are one statement, `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)
///   RETURNING …`, in priority-then-FIFO order, restricted to the backend and to the proof types
///   this node has handlers for; a claim is a lease (`owner`, `lease_expires_us`).
/// - ``renewLeases(_:ownerPrefix:now:)`` (the service's heartbeat) extends leases;
///   ``reapExpired(now:)`` requeues expired ones without using an attempt, and due retries.
/// - Every other operation is the shared ledger over ``PostgresTransaction`` (row locks, guarded
///   updates); a completion is guarded by state and owner, so a late result of a dead node
///   cannot overwrite.
/// - A transaction that queues work sends `NOTIFY`; ``PostgresNotifier`` wakes idle workers.
/// - Proofs are `bytea` (at most 1 GB, PostgreSQL's limit), write-once.
///
/// Calls block the calling thread (never a NIO event loop), each for at most the URL's
/// `call_timeout`; see ``PostgresConnection/call(seconds:what:_:)``.
public final class PostgresStore: CombinedStore, LeasingStore {
    /// Where the store lives (without the password).
    public let url: PostgresURL
    let pool: PostgresPool
    let logger: Logger
    public let leaseDuration: Duration
    let leaseSeconds: Double
    /// Identifies this store instance in NOTIFY payloads (its own are ignored).
    let instanceID = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    let channel: String
    private let sink = Mutex<(@Sendable (Transitions) -> Void)?>(nil)
    private let proofTypes = Mutex<[String]?>(nil)
    private let sequence = Mutex<Int64>(0)
    /// Tasks this store claimed since it last vacuumed the task table (see `vacuumIfDue`).
    let claimsSinceVacuum = Atomic<Int>(0)
    /// Claims after which the reaper vacuums the task table.
    package var vacuumAfterClaims: Int {
        get { vacuumThreshold.load(ordering: .relaxed) }
        set { vacuumThreshold.store(newValue, ordering: .relaxed) }
    }
    private let vacuumThreshold = Atomic<Int>(4096)
    let notifier: PostgresNotifier

    /// The schema version of this build.
    public static var schemaVersion: Int { PostgresSchema.currentVersion }

    /// Connects, creates the schema if needed and migrates it, and starts listening for
    /// wake-ups. Throws ``PostgresStoreError`` (`invalid_url`, `unreachable`,
    /// `authentication_failed`, `database_missing`, `schema_too_new`, `server_error`).
    public convenience init(url: String, logger: Logger = Logger(label: "prover.postgres")) throws {
        try self.init(url: PostgresURL(url), logger: logger)
    }

    public init(url: PostgresURL, logger: Logger = Logger(label: "prover.postgres")) throws {
        self.url = url
        self.logger = logger
        self.leaseSeconds = url.leaseSeconds
        self.leaseDuration = .milliseconds(Int64(url.leaseSeconds * 1000))
        self.channel = "prover_work_\(url.schema)"
        pool = PostgresPool(url: url, logger: logger)
        do {
            let connection = try pool.connect()
            defer { connection.close().whenComplete { _ in } }
            try PostgresSchema.migrate(connection, url: url, logger: logger)
        } catch {
            throw PostgresErrors.opening(error, url)
        }
        notifier = PostgresNotifier(configuration: pool.configuration, channel: channel, instanceID: instanceID, logger: logger)
        notifier.start()
    }

    deinit { close() }

    /// Stops listening and closes the connections.
    public func close() {
        notifier.stop()
        pool.close()
    }

    var claimableProofTypes: [String]? { proofTypes.withLock { $0 } }

    /// FIFO order across nodes: microseconds of the wall clock, strictly increasing in a process.
    func nextQueueSequence() -> Int64 {
        let now = Date().micros
        return sequence.withLock { last in
            last = max(last + 1, now)
            return last
        }
    }

    /// Raises the FIFO counter past a sequence number `prover_finish` used (it numbers the
    /// dependents it queues from the value it was given).
    func advanceQueueSequence(to used: Int64) {
        sequence.withLock { $0 = max($0, used) }
    }

    public func setEventSink(_ sink: (@Sendable (Transitions) -> Void)?) { self.sink.withLock { $0 = sink } }

    func publish(_ events: Transitions) {
        guard !events.isEmpty, let sink = sink.withLock({ $0 }) else { return }
        sink(events)
    }

    public func restrictClaims(toProofTypes proofTypes: Set<String>) { self.proofTypes.withLock { $0 = proofTypes.sorted() } }

    public func setWakeHandler(_ handler: (@Sendable (Set<String>) -> Void)?) { notifier.setHandler(handler) }

    public func withTransaction<R: Sendable>(_ body: (any TaskStoreTransaction) throws -> R) throws -> R {
        try transaction { try body($0) }
    }

    /// A plan in a few round trips: its tasks and their dependencies are read and locked by one
    /// statement, and the new tasks are inserted by multi-row statements sent with the commit.
    public func submit(_ plan: [TaskRecord], retry: Bool, now: Date) throws -> SubmitOutcome {
        try transaction { tx in
            try tx.prefetch(Set(plan.map(\.id) + plan.flatMap(\.dependencies)))
            return try tx.submitStep(plan, retry: retry, now: now)
        }
    }

    /// Runs `body` in `BEGIN … COMMIT`, retried (up to 8 times) on a deadlock, a serialization
    /// failure or a concurrent insert of the same task; sends `NOTIFY` when it queued work;
    /// publishes its events after the commit.
    func transaction<R>(_ body: (PostgresTransaction) throws -> R) throws -> R {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let (result, events) = try pool.withConnection { conn -> (R, [TaskEvent]) in
                    let tx = PostgresTransaction(conn: conn, store: self, locking: true)
                    do {
                        let result = try body(tx)
                        try tx.commit(notify: notification(tx.events))
                        return (result, tx.events)
                    } catch {
                        tx.rollback()
                        throw error
                    }
                }
                publish(events)
                return result
            } catch {
                let state = PostgresErrors.sqlState(error)
                if attempt < 8, state == "40001" || state == "40P01" || state == "23505" { continue }
                throw PostgresErrors.storage(error, "transaction")
            }
        }
    }

    /// The `NOTIFY` that wakes other nodes' idle workers when `events` queued work.
    private func notification(_ events: [TaskEvent]) -> (channel: String, payload: String)? {
        let backends = Set(events.filter { $0.to == .queued }.map(\.record.backend))
        guard !backends.isEmpty else { return nil }
        return (channel, "\(instanceID)|\(backends.sorted().joined(separator: ","))")
    }

    /// Runs `body` on a pooled connection outside a transaction (reads, single statements).
    func statement<R>(_ what: String, _ body: (PostgresTransaction) throws -> R) throws -> R {
        do {
            return try pool.withConnection { conn in try body(PostgresTransaction(conn: conn, store: self, locking: false)) }
        } catch {
            throw PostgresErrors.storage(error, what)
        }
    }

    // MARK: Reads without a transaction

    public func task(_ id: TaskID) throws -> TaskRecord? { try statement("read") { try $0.task(id) } }
    public func list(_ query: TaskQuery) throws -> TaskPage { try statement("list") { try $0.list(query) } }
    public func summary() throws -> [TaskState: Int] { try statement("summary") { try $0.countByState() } }

    public func finalTasks(among ids: [TaskID]) throws -> [TaskRecord] {
        try statement("read") { tx in
            var b = PostgresBindings()
            b.append(ids.map(\.hex))
            return try tx.rows(
                "SELECT \(PostgresTransaction.columns) FROM prover_tasks WHERE id = ANY($1) AND state IN ('completed', 'failed', 'cancelled')", b
            ).map(PostgresTransaction.record)
        }
    }
}
