import Foundation
import NIOCore
import PostgresNIO
import ProverService

/// A worker's results in one statement: `prover_finish` (``PostgresSchema/finishFunction``)
/// stores a proof, completes its task, queues its ready dependents, claims the next task and
/// notifies other nodes, in one round trip and one transaction; `prover_finish_batch`
/// (``PostgresSchema/finishBatchFunction``) does the same for several tasks and claims several.
extension PostgresStore {
    public func complete(_ id: TaskID, owner: String, now: Date) throws -> Transitions {
        try finish(Self.finishSQL, finishBindings(id, owner: owner, now: now, proof: nil, thenClaim: nil), now: now).transitions
    }

    public func complete(_ finished: [(task: TaskRecord, proof: StoredProof)], owner: String, now: Date, thenClaim backend: String?, limit: Int) throws
        -> (transitions: Transitions, claimed: [TaskRecord])
    {
        for (task, proof) in finished {
            guard task.state == .proving else {
                throw ProverServiceError.stateConflict.with("task \(task.id) is \(task.state.rawValue), not proving")
            }
            let size = proof.artifact.proof.count + proof.artifact.publicOutputs.count
            guard size <= Self.maxValueBytes else {
                throw ProverServiceError.valueTooLarge.with("proof of \(proof.taskID) is \(size) bytes; PostgreSQL holds at most \(Self.maxValueBytes)")
            }
        }
        // One result and at most one claim: `prover_finish` costs less than the batch function.
        if finished.count == 1, backend == nil || limit <= 1 {
            let (task, proof) = finished[0]
            return try finish(Self.finishSQL, finishBindings(task.id, owner: owner, now: now, proof: proof, thenClaim: backend), now: now)
        }
        let proofs = finished.map(\.proof)
        var b = PostgresBindings()
        b.append(finished.map(\.task.id.hex))
        b.append(owner)
        b.append(now.micros)
        b.append(proofs.map(\.proofType))
        b.append(proofs.map { ByteBuffer(bytes: $0.artifact.proof) })
        b.append(proofs.map { ByteBuffer(bytes: $0.artifact.publicOutputs) })
        b.append(try proofs.map { try Self.encode($0.artifact.metadata) })
        b.append(proofs.map(\.createdAt.micros))
        b.append(nextQueueSequence())
        b.append(backend)
        b.append(claimableProofTypes)
        b.append(Int64(backend == nil ? 0 : max(1, limit)))
        b.append(now.addingTimeInterval(leaseSeconds).micros)
        b.append(channel)
        b.append(instanceID)
        return try finish(Self.finishBatchSQL, b, now: now)
    }

    /// The arguments of `prover_finish`.
    private func finishBindings(_ id: TaskID, owner: String, now: Date, proof: StoredProof?, thenClaim backend: String?) throws -> PostgresBindings {
        var b = PostgresBindings()
        b.append(id.hex)
        b.append(owner)
        b.append(now.micros)
        b.append(proof?.proofType)
        b.append(proof.map { ByteBuffer(bytes: $0.artifact.proof) })
        b.append(proof.map { ByteBuffer(bytes: $0.artifact.publicOutputs) })
        b.append(try proof.map { try Self.encode($0.artifact.metadata) })
        b.append(proof?.createdAt.micros)
        b.append(nextQueueSequence())
        b.append(backend)
        b.append(claimableProofTypes)
        b.append(now.addingTimeInterval(leaseSeconds).micros)
        b.append(channel)
        b.append(instanceID)
        return b
    }

    static let finishSQL = """
        SELECT \(PostgresTransaction.columns) FROM prover_finish($1::text, $2::text, $3::bigint, $4::text, $5::bytea, $6::bytea,
        $7::text, $8::bigint, $9::bigint, $10::text, $11::text[], $12::bigint, $13::text, $14::text)
        """

    static let finishBatchSQL = """
        SELECT \(PostgresTransaction.columns) FROM prover_finish_batch($1::text[], $2::text, $3::bigint, $4::text[], $5::bytea[],
        $6::bytea[], $7::text[], $8::bigint[], $9::bigint, $10::text, $11::text[], $12::bigint, $13::bigint, $14::text, $15::text)
        """

    /// One call of a finish function, retried (up to 8 times) on a deadlock or a serialization
    /// failure; its events are published after the commit. The rows are told apart by state:
    /// completed tasks, dependents they queued, claims (sorted here, best first).
    private func finish(_ sql: String, _ b: PostgresBindings, now: Date) throws -> (transitions: Transitions, claimed: [TaskRecord]) {
        var attempt = 0
        var rows: [PostgresRow]
        while true {
            attempt += 1
            do {
                rows = try pool.withConnection { conn in
                    try conn.rows(sql, b, seconds: url.callTimeoutSeconds, logger: logger)
                }
                break
            } catch {
                let state = PostgresErrors.sqlState(error)
                if attempt < 8, state == "40001" || state == "40P01" { continue }
                throw Self.finishError(error)
            }
        }
        var events: Transitions = []
        var claimed: [TaskRecord] = []
        var lastSequence: Int64?
        for (index, row) in rows.enumerated() {
            let record = try PostgresTransaction.record(row)
            switch record.state {
            case .completed:
                events.append(TaskEvent(id: record.id, from: .proving, to: .completed, record: record, at: now))
            case .queued:
                events.append(TaskEvent(id: record.id, from: .waiting, to: .queued, record: record, at: now))
                lastSequence = max(lastSequence ?? record.queueSequence, record.queueSequence)
            case .proving:
                claimed.append(record)
            default:
                throw ProverServiceError.storage.with("a finish function returned task \(record.id) in state \(record.state.rawValue) at row \(index)")
            }
        }
        claimed = Self.claimed(claimed)
        events += claimed.map { TaskEvent(id: $0.id, from: .queued, to: .proving, record: $0, at: now) }
        claimsSinceVacuum.add(claimed.count, ordering: .relaxed)
        if let lastSequence { advanceQueueSequence(to: lastSequence) }
        publish(events)
        return (events, claimed)
    }

    /// `prover_finish`'s own error codes as the service's errors.
    static func finishError(_ error: any Error) -> ProverServiceError {
        let message = (error as? PSQLError)?.serverInfo?[.message] ?? ""
        switch PostgresErrors.sqlState(error) {
        case "PV001": return ProverServiceError.stateConflict.with(message)
        case "PV002": return ProverServiceError.proofConflict.with(message)
        case "PV003": return ProverServiceError.unknownTask.with(message)
        default: return PostgresErrors.storage(error, "complete")
        }
    }
}
