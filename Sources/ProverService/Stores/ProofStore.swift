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
    /// Stores each proof (write-once) and moves its task `proving` (owned by `owner`) →
    /// `completed`, queuing dependents that became ready, all in one transaction: if one task
    /// cannot be completed, none is.
    /// When `backend` is given, also claims up to `limit` runnable tasks of that backend for
    /// `owner` in the same transaction (one commit for a busy worker's results and its next
    /// work) and returns them, best first.
    /// Each task is the record as claimed; its write is guarded by its state and `owner`.
    func complete(_ finished: [(task: TaskRecord, proof: StoredProof)], owner: String, now: Date, thenClaim backend: String?, limit: Int) throws
        -> (transitions: Transitions, claimed: [TaskRecord])
}

extension CombinedStore {
    /// Completes one task with its proof and, when `backend` is given, claims at most one next task.
    public func complete(_ task: TaskRecord, owner: String, storing proof: StoredProof, now: Date, thenClaim backend: String?) throws
        -> (transitions: Transitions, claimed: TaskRecord?)
    {
        let (events, claimed) = try complete([(task, proof)], owner: owner, now: now, thenClaim: backend, limit: 1)
        return (events, claimed.first)
    }
}
