import Foundation
import NIOCore
import PostgresNIO
import ProverService

/// A worker's result in one statement: ``PostgresSchema/finishFunction`` (`prover_finish`)
/// stores the proof, completes the task, queues its ready dependents, claims the next task and
/// notifies other nodes, in one round trip and one transaction.
extension PostgresStore {
    public func complete(_ id: TaskID, owner: String, now: Date) throws -> Transitions {
        try finish(id, owner: owner, proof: nil, now: now, thenClaim: nil).transitions
    }

    public func complete(_ task: TaskRecord, owner: String, storing proof: StoredProof, now: Date, thenClaim backend: String?) throws
        -> (transitions: Transitions, claimed: TaskRecord?)
    {
        guard task.state == .proving else {
            throw ProverServiceError.stateConflict.with("task \(task.id) is \(task.state.rawValue), not proving")
        }
        let size = proof.artifact.proof.count + proof.artifact.publicOutputs.count
        guard size <= Self.maxValueBytes else {
            throw ProverServiceError.valueTooLarge.with("proof of \(proof.taskID) is \(size) bytes; PostgreSQL holds at most \(Self.maxValueBytes)")
        }
        return try finish(task.id, owner: owner, proof: proof, now: now, thenClaim: backend)
    }

    static let finishSQL = """
        SELECT \(PostgresTransaction.columns) FROM prover_finish($1::text, $2::text, $3::bigint, $4::text, $5::bytea, $6::bytea,
        $7::text, $8::bigint, $9::bigint, $10::text, $11::text[], $12::bigint, $13::text, $14::text)
        """

    /// One call of `prover_finish`, retried (up to 8 times) on a deadlock or a serialization
    /// failure; its events are published after the commit.
    func finish(_ id: TaskID, owner: String, proof: StoredProof?, now: Date, thenClaim backend: String?) throws
        -> (transitions: Transitions, claimed: TaskRecord?)
    {
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
        var attempt = 0
        var rows: [PostgresRow]
        while true {
            attempt += 1
            do {
                rows = try pool.withConnection { conn in
                    try conn.rows(Self.finishSQL, b, seconds: url.callTimeoutSeconds, logger: logger)
                }
                break
            } catch {
                let state = PostgresErrors.sqlState(error)
                if attempt < 8, state == "40001" || state == "40P01" { continue }
                throw Self.finishError(error)
            }
        }
        var events: Transitions = []
        var claimed: TaskRecord?
        var lastSequence: Int64?
        for (index, row) in rows.enumerated() {
            let record = try PostgresTransaction.record(row)
            switch (index, record.state) {
            case (0, .completed):
                events.append(TaskEvent(id: record.id, from: .proving, to: .completed, record: record, at: now))
            case (1..., .queued):
                events.append(TaskEvent(id: record.id, from: .waiting, to: .queued, record: record, at: now))
                lastSequence = record.queueSequence
            case (1..., .proving):
                events.append(TaskEvent(id: record.id, from: .queued, to: .proving, record: record, at: now))
                claimed = record
                claimsSinceVacuum.add(1, ordering: .relaxed)
            default:
                throw ProverServiceError.storage.with("prover_finish returned task \(record.id) in state \(record.state.rawValue) at row \(index)")
            }
        }
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
