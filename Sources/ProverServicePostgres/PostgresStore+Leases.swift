import Foundation
import NIOCore
import PostgresNIO
import ProverService

extension PostgresStore {
    static let claimSQL = """
        UPDATE prover_tasks SET state = 'proving', owner = $1, lease_expires_us = $2, updated_us = $3, next_run_us = NULL
        WHERE id = (SELECT id FROM prover_tasks WHERE state = 'queued' AND backend = $4
                    AND ($5::text[] IS NULL OR proof_type = ANY($5))
                    ORDER BY priority DESC, queue_seq LIMIT 1 FOR UPDATE SKIP LOCKED)
        AND state = 'queued'
        RETURNING \(PostgresTransaction.columns)
        """

    /// One claim statement on `tx`'s connection; the `queued → proving` event, or nil.
    func claim(_ tx: PostgresTransaction, backend: String, owner: String, now: Date) throws -> TaskEvent? {
        var b = PostgresBindings()
        b.append(owner)
        b.append(now.addingTimeInterval(leaseSeconds).micros)
        b.append(now.micros)
        b.append(backend)
        b.append(claimableProofTypes)
        guard let row = try tx.rows(Self.claimSQL, b).first else { return nil }
        claimsSinceVacuum.add(1, ordering: .relaxed)
        let record = try PostgresTransaction.record(row)
        return TaskEvent(id: record.id, from: .queued, to: .proving, record: record, at: now)
    }

    /// One statement, no transaction: the best queued task of `backend` (of our proof types)
    /// becomes `proving`, leased to `owner` until `now + leaseDuration`.
    public func claimNext(backend: String, owner: String, now: Date) throws -> Transitions {
        let event = try statement("claim") { try claim($0, backend: backend, owner: owner, now: now) }
        guard let event else { return [] }
        publish([event])
        return [event]
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
