import Foundation
import NIOCore
import PostgresNIO
import ProverService

extension PostgresStore {
    /// The rows are picked once, in a materialized CTE: as `id IN (SELECT … LIMIT n FOR UPDATE
    /// SKIP LOCKED)` the planner may rescan the subquery per row, and each rescan skips the rows
    /// this statement already updated and picks more — one claim took every queued task.
    static let claimSQL = """
        WITH picked AS MATERIALIZED (
            SELECT id AS picked_id FROM prover_tasks WHERE state = 'queued' AND backend = $4
            AND ($5::text[] IS NULL OR proof_type = ANY($5))
            ORDER BY priority DESC, queue_seq LIMIT $6 FOR UPDATE SKIP LOCKED)
        UPDATE prover_tasks SET state = 'proving', owner = $1, lease_expires_us = $2, updated_us = $3, next_run_us = NULL
        FROM picked WHERE id = picked_id AND state = 'queued'
        RETURNING \(PostgresTransaction.columns)
        """

    /// One statement, no transaction: up to `limit` of the best queued tasks of `backend` (of
    /// our proof types) become `proving`, leased to `owner` until `now + leaseDuration`.
    public func claimNext(backend: String, owner: String, now: Date, limit: Int) throws -> Transitions {
        var b = PostgresBindings()
        b.append(owner)
        b.append(now.addingTimeInterval(leaseSeconds).micros)
        b.append(now.micros)
        b.append(backend)
        b.append(claimableProofTypes)
        b.append(Int64(max(1, limit)))
        let rows = try statement("claim") { try $0.rows(Self.claimSQL, b) }
        let events = try Self.claimed(rows.map(PostgresTransaction.record)).map {
            TaskEvent(id: $0.id, from: .queued, to: .proving, record: $0, at: now)
        }
        claimsSinceVacuum.add(events.count, ordering: .relaxed)
        publish(events)
        return events
    }

    /// Claimed records best first (an `UPDATE … RETURNING` returns rows in no particular order).
    static func claimed(_ records: [TaskRecord]) -> [TaskRecord] {
        records.sorted { ($0.priority, -$0.queueSequence) > ($1.priority, -$1.queueSequence) }
    }

    @discardableResult
    public func renewLeases(_ ids: [TaskID], ownerPrefix: String, now: Date) throws -> Int {
        try statement("lease renewal") { tx in
            var b = PostgresBindings()
            b.append(now.addingTimeInterval(leaseSeconds).micros)
            b.append(ids.map(\.hex))
            b.append(ownerPrefix)
            return try tx.rows(
                "UPDATE prover_tasks SET lease_expires_us = $1 WHERE state = 'proving' AND id = ANY($2) AND starts_with(owner, $3) RETURNING 1",
                b
            ).count
        }
    }

    /// Requeues expired leases and due retries, then vacuums the task table if this store has
    /// claimed `vacuumAfterClaims` tasks since it last did (see ``vacuumIfDue()``).
    public func reapExpired(now: Date) throws -> Transitions {
        defer { vacuumIfDue() }
        return try transaction { tx in
            var events: Transitions = []
            var b = PostgresBindings()
            b.append(now.micros)
            // Expired leases: the owner died or lost the store; the attempt is not used up.
            for row in try tx.rows(
                """
                SELECT \(PostgresTransaction.columns) FROM prover_tasks WHERE state = 'proving' AND lease_expires_us < $1
                ORDER BY queue_seq FOR UPDATE SKIP LOCKED
                """, b)
            {
                try tx.move(PostgresTransaction.record(row), to: .queued, now: now, events: &events)
            }
            // Due retries whose timer may have died with its node.
            for row in try tx.rows(
                """
                SELECT \(PostgresTransaction.columns) FROM prover_tasks WHERE state = 'retrying' AND next_run_us <= $1
                ORDER BY next_run_us FOR UPDATE SKIP LOCKED
                """, b)
            {
                try tx.move(PostgresTransaction.record(row), to: .queued, now: now, events: &events)
            }
            return events
        }
    }

    /// On start: requeues only *expired* leases (other nodes' live tasks stay theirs),
    /// evaluates pending tasks, and returns the `retrying` tasks for their timers.
    public func recover(now: Date) throws -> (Transitions, [TaskRecord]) {
        var events = try reapExpired(now: now)
        let (more, retrying) = try transaction { tx -> (Transitions, [TaskRecord]) in
            var events: Transitions = []
            for record in try tx.tasks(in: .pending) {
                _ = try tx.evaluate(record, now: now, events: &events)
            }
            return (events, try tx.tasks(in: .retrying))
        }
        events += more
        return (events, retrying)
    }
}
