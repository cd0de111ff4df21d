import Foundation
import NIOCore
import PostgresNIO
import ProverService

extension PostgresStore {
    /// PostgreSQL refuses a `bytea` value over 1 GB.
    static let maxValueBytes = 1_000_000_000

    public func putProof(_ proof: StoredProof) throws {
        let metadata = try Self.encode(proof.artifact.metadata)
        try statement("store proof") { tx in try insertProof(tx, proof, metadata: metadata) }
    }

    public func proof(for id: TaskID) throws -> StoredProof? {
        try statement("read proof") { tx in try Self.readProof(tx, id) }
    }

    /// Write-once: the same artifact again is a no-op, a different one `proofConflict`.
    func insertProof(_ tx: PostgresTransaction, _ proof: StoredProof, metadata: String) throws {
        let size = proof.artifact.proof.count + proof.artifact.publicOutputs.count
        guard size <= Self.maxValueBytes else {
            throw ProverServiceError.valueTooLarge.with("proof of \(proof.taskID) is \(size) bytes; PostgreSQL holds at most \(Self.maxValueBytes)")
        }
        var b = PostgresBindings()
        b.append(proof.taskID.hex)
        b.append(proof.proofType)
        b.append(ByteBuffer(bytes: proof.artifact.proof))
        b.append(ByteBuffer(bytes: proof.artifact.publicOutputs))
        b.append(metadata)
        b.append(proof.createdAt.micros)
        let inserted = try tx.rows(
            """
            INSERT INTO prover_proofs (task_id, proof_type, proof, public_outputs, metadata, created_us)
            VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (task_id) DO NOTHING RETURNING 1
            """, b)
        if inserted.isEmpty, let existing = try Self.readProof(tx, proof.taskID), existing.artifact != proof.artifact {
            throw ProverServiceError.proofConflict.with("task \(proof.taskID) already has a different proof")
        }
    }

    static func readProof(_ tx: PostgresTransaction, _ id: TaskID) throws -> StoredProof? {
        var b = PostgresBindings()
        b.append(id.hex)
        guard let row = try tx.rows("SELECT proof_type, proof, public_outputs, metadata, created_us FROM prover_proofs WHERE task_id = $1", b).first
        else { return nil }
        let r = row.makeRandomAccess()
        let proof = try r[1].decode(ByteBuffer.self)
        let outputs = try r[2].decode(ByteBuffer.self)
        return StoredProof(
            taskID: id, proofType: try r[0].decode(String.self),
            artifact: ProofArtifact(proof: Array(proof.readableBytesView), publicOutputs: Array(outputs.readableBytesView),
                                    metadata: try decode(r[3].decode(String.self))),
            createdAt: Date(micros: try r[4].decode(Int64.self)))
    }

    static func encode(_ metadata: [String: String]) throws -> String {
        if metadata.isEmpty { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(metadata), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [String: String] {
        if text == "{}" { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw ProverServiceError.storage.with("corrupt proof metadata: \(error)")
        }
    }
}

extension PostgresStore {
    /// Drops the store's schema with everything in it (benchmarks and tests on throwaway
    /// schemas). Refuses `public`.
    public func dropSchema() throws {
        guard url.schema != "public" else { throw ProverServiceError.storage.with("refusing to drop the public schema") }
        try statement("drop schema") { tx in _ = try tx.rows("DROP SCHEMA IF EXISTS \"\(url.schema)\" CASCADE") }
    }
}

extension PostgresStore {
    /// Overwrites the stored schema version (tests of the refusal of newer schemas).
    package func setSchemaVersionForTesting(_ version: Int) throws {
        try statement("set schema version") { tx in
            var b = PostgresBindings()
            b.append(version)
            _ = try tx.rows("UPDATE prover_schema SET version = $1", b)
        }
    }

    /// Terminates the other sessions that hold a lock on this schema's task table (tests of a
    /// connection the server closes in the middle of a transaction). Returns how many.
    package func terminateSessionsLockingTasksForTesting() throws -> Int {
        try statement("terminate sessions") { tx in
            try tx.rows(
                """
                SELECT pg_terminate_backend(pid) FROM (SELECT DISTINCT pid FROM pg_locks
                WHERE relation = to_regclass('prover_tasks') AND granted AND pid <> pg_backend_pid()) AS holders
                """
            ).count
        }
    }
}
