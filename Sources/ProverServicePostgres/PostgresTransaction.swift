import Foundation
import Logging
import NIOCore
import PostgresNIO
import ProverService

/// The ``TaskStoreTransaction`` of ``PostgresStore``: statements on one connection. With
/// `locking` they run inside `BEGIN … COMMIT` (READ COMMITTED) and reading a task locks its row
/// (`FOR UPDATE`): the ledger's read-check-write steps then cannot interleave with another
/// node's change of the same task, and a completion and a submit that adds a dependent to the
/// completing task serialize on that row. `BEGIN` travels with the first statement and
/// `pg_notify` with `COMMIT` (one blocking call each); without `locking`, each statement is
/// its own transaction.
final class PostgresTransaction: TaskStoreTransaction {
    let conn: PostgresConnection
    let store: PostgresStore
    let locking: Bool
    private(set) var events: [TaskEvent] = []
    /// Whether `BEGIN` was sent (with the first statement).
    private var begun = false
    /// With `locking`: the rows this transaction has locked or written, and the ids it found
    /// absent (nil). A locked row cannot change under the transaction, so it is not read twice.
    var known: [TaskID: TaskRecord?] = [:]
    /// With `locking`: inserts not sent yet; they travel with the next statement or the commit.
    var pendingInserts: [TaskRecord] = []

    init(conn: PostgresConnection, store: PostgresStore, locking: Bool) {
        self.conn = conn
        self.store = store
        self.locking = locking
    }

    static let columns = "id, proof_type, backend, context, priority, state, attempt, next_run_us, error_code, error_message, error_transient, deps, queue_seq, owner, timeout_s, created_us, updated_us"

    static func record(_ row: PostgresRow) throws -> TaskRecord {
        let r = row.makeRandomAccess()
        let idText = try r[0].decode(String.self)
        guard let id = TaskID(idText), let state = TaskState(rawValue: try r[5].decode(String.self)) else {
            throw ProverServiceError.storage.with("corrupt task row \(idText)")
        }
        let deps = try r[11].decode(String.self).split(separator: ",").compactMap { TaskID(String($0)) }
        let failure = try r[8].decode(String?.self).map { code in
            TaskFailure(code: code, message: try r[9].decode(String?.self) ?? "", isTransient: try r[10].decode(Bool?.self) ?? false)
        }
        let context = try r[3].decode(ByteBuffer.self)
        return TaskRecord(
            id: id, proofType: try r[1].decode(String.self), backend: try r[2].decode(String.self),
            context: Array(context.readableBytesView), priority: try r[4].decode(Int.self), state: state,
            attempt: try r[6].decode(Int.self), nextRunAt: try r[7].decode(Int64?.self).map(Date.init(micros:)),
            lastError: failure, dependencies: deps, queueSequence: try r[12].decode(Int64.self),
            owner: try r[13].decode(String?.self), timeoutSeconds: try r[14].decode(Double?.self),
            createdAt: Date(micros: try r[15].decode(Int64.self)), updatedAt: Date(micros: try r[16].decode(Int64.self)))
    }

    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws -> [PostgresRow] {
        try run([(sql, binds)], what: "`\(sql.prefix(40))…`")
    }

    /// Sends `statements` in one call, preceded by `BEGIN` if this is the transaction's first
    /// call and by the pending inserts; returns the rows of the last statement.
    private func run(_ statements: [(String, PostgresBindings)], what: String) throws -> [PostgresRow] {
        var chain: [(String, PostgresBindings)] = []
        if locking && !begun {
            chain.append(("BEGIN", PostgresBindings()))
            begun = true
        }
        chain += insertStatements(pendingInserts)
        pendingInserts.removeAll()
        chain += statements
        let logger = store.logger
        let sequence = chain
        return try conn.call(seconds: store.url.callTimeoutSeconds, what: what) { c in
            var future = c.eventLoop.makeSucceededFuture([PostgresRow]())
            for (sql, binds) in sequence { future = future.flatMap { _ in c.send(sql, binds, logger: logger) } }
            return future
        }
    }

    /// Commits (nothing to do if no statement ran), sending the pending inserts and `notify`
    /// (channel, payload) in the same call.
    func commit(notify: (channel: String, payload: String)?) throws {
        guard begun || !pendingInserts.isEmpty else { return }
        var statements: [(String, PostgresBindings)] = []
        if let notify {
            var b = PostgresBindings()
            b.append(notify.channel)
            b.append(notify.payload)
            statements.append(("SELECT pg_notify($1, $2)", b))
        }
        statements.append(("COMMIT", PostgresBindings()))
        _ = try run(statements, what: "COMMIT")
    }

    /// Rolls back after a failure (a closed connection is discarded by the pool instead).
    func rollback() {
        pendingInserts.removeAll()
        guard begun, !conn.isClosed else { return }
        _ = try? conn.rows("ROLLBACK", seconds: store.url.callTimeoutSeconds, logger: store.logger)
    }

    func didChange(_ event: TaskEvent) { events.append(event) }

    func task(_ id: TaskID) throws -> TaskRecord? {
        if locking, let known = known[id] { return known }
        var binds = PostgresBindings()
        binds.append(id.hex)
        let record = try rows("SELECT \(Self.columns) FROM prover_tasks WHERE id = $1\(locking ? " FOR UPDATE" : "")", binds)
            .first.map(Self.record)
        if locking { known[id] = .some(record) }
        return record
    }

    func insert(_ r: TaskRecord) throws {
        guard locking else {
            for (sql, binds) in insertStatements([r]) { _ = try rows(sql, binds) }
            return
        }
        pendingInserts.append(r)
        known[r.id] = .some(r)
    }

    func update(_ r: TaskRecord, expecting expected: TaskState, owner: String?) throws -> Bool {
        var b = PostgresBindings()
        b.appendScheduling(of: r)
        b.append(r.queueSequence)
        b.append(r.owner)
        b.append(r.state == .proving ? r.updatedAt.addingTimeInterval(store.leaseSeconds).micros : nil)
        b.append(r.timeoutSeconds)
        b.append(r.updatedAt.micros)
        b.append(r.id.hex)
        b.append(expected.rawValue)
        b.append(owner)
        let updated = try !rows(
            """
            UPDATE prover_tasks SET priority = $1, state = $2, attempt = $3, next_run_us = $4, error_code = $5,
            error_message = $6, error_transient = $7, queue_seq = $8, owner = $9, lease_expires_us = $10, timeout_s = $11,
            updated_us = $12 WHERE id = $13 AND state = $14 AND ($15::text IS NULL OR owner = $15) RETURNING 1
            """, b).isEmpty
        if locking {
            if updated { known[r.id] = .some(r) } else { known.removeValue(forKey: r.id) }
        }
        return updated
    }

    func dependents(of id: TaskID) throws -> [TaskID] {
        var b = PostgresBindings()
        b.append(id.hex)
        return try rows("SELECT task_id FROM prover_task_deps WHERE dep_id = $1", b).compactMap {
            TaskID(try $0.makeRandomAccess()[0].decode(String.self))
        }
    }

    func nextRunnable(backend: String) throws -> TaskRecord? {
        var b = PostgresBindings()
        b.append(backend)
        b.append(store.claimableProofTypes)
        return try rows(
            """
            SELECT \(Self.columns) FROM prover_tasks WHERE state = 'queued' AND backend = $1
            AND ($2::text[] IS NULL OR proof_type = ANY($2)) ORDER BY priority DESC, queue_seq LIMIT 1 FOR UPDATE SKIP LOCKED
            """, b).first.map(Self.record)
    }

    func nextQueueSequence() throws -> Int64 { store.nextQueueSequence() }

    func tasks(in state: TaskState) throws -> [TaskRecord] {
        var b = PostgresBindings()
        b.append(state.rawValue)
        return try rows("SELECT \(Self.columns) FROM prover_tasks WHERE state = $1 ORDER BY queue_seq\(locking ? " FOR UPDATE" : "")", b)
            .map(Self.record)
    }

    func list(_ query: TaskQuery) throws -> TaskPage {
        var clauses: [String] = []
        var b = PostgresBindings()
        func param() -> String { "$\(b.count)" }
        if let cursor = query.cursor {
            let parts = cursor.split(separator: ":")
            guard parts.count == 2, let created = Int64(parts[0]), let id = TaskID(String(parts[1])) else {
                throw ProverServiceError.invalidCursor.with("cannot decode cursor '\(cursor)'")
            }
            b.append(created)
            let c = param()
            b.append(id.hex)
            clauses.append("(created_us > \(c) OR (created_us = \(c) AND id > \(param())))")
        }
        if let states = query.states {
            b.append(states.map(\.rawValue).sorted())
            clauses.append("state = ANY(\(param()))")
        }
        if let proofType = query.proofType {
            b.append(proofType)
            clauses.append("proof_type = \(param())")
        }
        if let backend = query.backend {
            b.append(backend)
            clauses.append("backend = \(param())")
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        b.append(query.limit + 1)
        let records = try rows("SELECT \(Self.columns) FROM prover_tasks \(whereClause) ORDER BY created_us, id LIMIT \(param())", b)
            .map(Self.record)
        let page = Array(records.prefix(query.limit))
        let next = records.count > query.limit ? page.last.map { "\($0.createdAt.micros):\($0.id.hex)" } : nil
        return TaskPage(tasks: page, nextCursor: next)
    }

    func countByState() throws -> [TaskState: Int] {
        var counts: [TaskState: Int] = [:]
        for row in try rows("SELECT state, COUNT(*) FROM prover_tasks GROUP BY state") {
            let r = row.makeRandomAccess()
            if let state = TaskState(rawValue: try r[0].decode(String.self)) { counts[state] = try r[1].decode(Int.self) }
        }
        return counts
    }

    func pruneFinished(updatedBefore cutoff: Date) throws -> Int {
        var b = PostgresBindings()
        b.append(cutoff.micros)
        let deleted = try rows(
            """
            DELETE FROM prover_tasks t WHERE t.state IN ('completed', 'failed', 'cancelled') AND t.updated_us < $1
            AND NOT EXISTS (SELECT 1 FROM prover_task_deps d JOIN prover_tasks u ON u.id = d.task_id
                            WHERE d.dep_id = t.id AND u.state NOT IN ('completed', 'failed', 'cancelled'))
            RETURNING 1
            """, b).count
        _ = try rows("DELETE FROM prover_task_deps d WHERE NOT EXISTS (SELECT 1 FROM prover_tasks t WHERE t.id = d.task_id)")
        return deleted
    }
}

extension PostgresBindings {
    /// A task's scheduling columns, in the order the insert and the update both bind them:
    /// priority, state, attempt, next_run_us, and the last error's code, message, transient flag.
    mutating func appendScheduling(of r: TaskRecord) {
        append(r.priority)
        append(r.state.rawValue)
        append(r.attempt)
        append(r.nextRunAt?.micros)
        append(r.lastError?.code)
        append(r.lastError?.message)
        append(r.lastError?.isTransient)
    }
}
