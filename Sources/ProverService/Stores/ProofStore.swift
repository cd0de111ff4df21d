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
