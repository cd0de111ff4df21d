import Foundation
import Synchronization

/// The embedded default store: one SQLite file in WAL mode holding tasks and proofs.
///
/// One process owns the file (``SQLiteOwnerLock``). All access goes through one connection
/// guarded by a mutex; every operation is a `BEGIN IMMEDIATE` transaction. `synchronous =
/// NORMAL` in WAL mode keeps the database consistent across crashes (a power loss may drop the
/// last commits). The WAL is checkpointed by a thread of its own (``SQLiteCheckpointer``).
public final class SQLiteStore: CombinedStore {
    private let owner: SQLiteOwnerLock
    private let connection: Mutex<SQLiteConnection>
    /// The database file.
    public let path: String

    /// Opens (creating if needed) the database at `path` and migrates it.
    /// Throws `ProverServiceError.schemaTooNew` if a newer build wrote it.
    public init(path: String) throws {
        owner = try SQLiteOwnerLock(path: path)
        let conn = try SQLiteConnection(path: path)
        // Normal (shared) locking, so that the checkpointer's own connection can copy the WAL
        // into the database while this one writes; the owner lock keeps other processes out.
        try conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 67108864; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456;")
        try SQLiteSchema.migrate(conn, path: path)
        conn.checkpoint(with: try SQLiteCheckpointer(path: path))
        conn.queueSequence = try conn.query("SELECT COALESCE(MAX(queue_seq), 0) FROM tasks") { $0.int(0) }.first ?? 0
        self.path = path
        self.connection = Mutex(conn)
    }

    /// Number of statements in the connection's cache; it must not grow with the values queried.
    package var preparedStatementCount: Int { connection.withLock { $0.preparedStatementCount } }

    /// The schema version of this build.
    public static var schemaVersion: Int { SQLiteSchema.currentVersion }

    public func setEventSink(_ sink: (@Sendable (Transitions) -> Void)?) {
        connection.withLock { $0.eventSink = sink }
    }

    public func withTransaction<R: Sendable>(_ body: (any TaskStoreTransaction) throws -> R) throws -> R {
        try connection.withLock { conn in
            try conn.begin()
            do {
                let result = try body(SQLiteTransaction(conn: conn))
                try conn.commit()
                return result
            } catch {
                conn.rollback()
                throw error
            }
        }
    }

    public func complete(_ finished: [(task: TaskRecord, proof: StoredProof)], owner: String, now: Date, thenClaim backend: String?, limit: Int) throws
        -> (transitions: Transitions, claimed: [TaskRecord])
    {
        let metadata = try finished.map { try Self.encode($0.proof.artifact.metadata) }
        return try connection.withLock { conn in
            try conn.begin()
            do {
                let tx = SQLiteTransaction(conn: conn)
                var events: Transitions = []
                for (item, metadata) in zip(finished, metadata) {
                    try Self.insertProof(conn, item.proof, metadata: metadata)
                    events += try tx.completeTask(item.task, owner: owner, now: now)
                }
                let claimed = try backend.map { try tx.claimSteps(backend: $0, owner: owner, now: now, limit: limit, events: &events) } ?? []
                try conn.commit()
                return (events, claimed)
            } catch {
                conn.rollback()
                throw error
            }
        }
    }

    public func putProof(_ proof: StoredProof) throws {
        let metadata = try Self.encode(proof.artifact.metadata)
        try connection.withLock { conn in try Self.insertProof(conn, proof, metadata: metadata) }
    }

    private static func insertProof(_ conn: SQLiteConnection, _ proof: StoredProof, metadata: String) throws {
        let changed = try conn.run(
            "INSERT INTO proofs (task_id, proof_type, proof, public_outputs, metadata, created_us) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (task_id) DO NOTHING",
            [.text(proof.taskID.hex), .text(proof.proofType), .blob(proof.artifact.proof), .blob(proof.artifact.publicOutputs),
             .text(metadata), .int(proof.createdAt.micros)])
        if changed == 0, let existing = try Self.readProof(conn, proof.taskID), existing.artifact != proof.artifact {
            throw ProverServiceError.proofConflict.with("task \(proof.taskID) already has a different proof")
        }
    }

    public func proof(for id: TaskID) throws -> StoredProof? {
        try connection.withLock { conn in try Self.readProof(conn, id) }
    }

    private static func readProof(_ conn: SQLiteConnection, _ id: TaskID) throws -> StoredProof? {
        try conn.query("SELECT proof_type, proof, public_outputs, metadata, created_us FROM proofs WHERE task_id = ?", [.text(id.hex)]) { row in
            let metadata = try decode(row.text(3))
            return StoredProof(taskID: id, proofType: row.text(0),
                               artifact: ProofArtifact(proof: row.blob(1), publicOutputs: row.blob(2), metadata: metadata),
                               createdAt: Date(micros: row.int(4)))
        }.first
    }

    private static func encode(_ metadata: [String: String]) throws -> String {
        if metadata.isEmpty { return "{}" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(metadata), as: UTF8.self)
    }

    private static func decode(_ text: String) throws -> [String: String] {
        if text == "{}" { return [:] }
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
        } catch {
            throw ProverServiceError.storage.with("corrupt proof metadata: \(error)")
        }
    }
}

extension Date {
    /// Microseconds since 1970, the durable timestamp format.
    package var micros: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }
    package init(micros: Int64) { self.init(timeIntervalSince1970: Double(micros) / 1_000_000) }
}
