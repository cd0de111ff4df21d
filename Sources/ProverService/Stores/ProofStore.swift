import Foundation

/// A proof as stored: write-once, with its public outputs and metadata.
public struct StoredProof: Sendable, Hashable {
    public let taskID: TaskID
    public let proofType: String
    public let artifact: ProofArtifact
    public let createdAt: Date

    public init(taskID: TaskID, proofType: String, artifact: ProofArtifact, createdAt: Date) {
        self.taskID = taskID
        self.proofType = proofType
        self.artifact = artifact
        self.createdAt = createdAt
    }
}

/// Durable, write-once storage of proofs.
public protocol ProofStore: Sendable {
    /// Stores a proof. Storing the same artifact again is a no-op; a different artifact for the
    /// same task throws `ProverServiceError.proofConflict`.
    func putProof(_ proof: StoredProof) throws
    /// The proof of a task, if stored.
    func proof(for id: TaskID) throws -> StoredProof?
}

/// A store that holds tasks and proofs together and can store a proof and complete its task
/// in one transaction. With it a crash can never leave a stored proof behind a `proving` task.
public protocol CombinedStore: TaskStore, ProofStore {
    /// Stores `proof` (write-once) and moves its task `proving` (owned by `owner`) → `completed`,
    /// queuing dependents that became ready, atomically.
    /// When `backend` is given, also claims the next runnable task of that backend for `owner`
    /// in the same transaction (one commit per task for a busy worker) and returns it.
    /// `task` is the record as claimed; the write is guarded by its state and `owner`.
    func complete(_ task: TaskRecord, owner: String, storing proof: StoredProof, now: Date, thenClaim backend: String?) throws
        -> (transitions: Transitions, claimed: TaskRecord?)
}
