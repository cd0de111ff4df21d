/// A request to prove one context with one proof type on one backend.
public struct ProofRequest: Sendable, Hashable {
    public var proofType: String
    /// Raw (not yet canonical) context bytes.
    public var context: [UInt8]
    public var backend: String
    /// Higher runs first; ties run in FIFO order.
    public var priority: Int
    /// Per-task timeout; exceeding it is a transient failure.
    public var timeout: Duration?

    public init(proofType: String, context: [UInt8], backend: String = "cpu", priority: Int = 0, timeout: Duration? = nil) {
        self.proofType = proofType
        self.context = context
        self.backend = backend
        self.priority = priority
        self.timeout = timeout
    }
}

/// A stored proof with its public outputs and metadata.
public struct ProofArtifact: Sendable, Hashable, Codable {
    public var proof: [UInt8]
    public var publicOutputs: [UInt8]
    public var metadata: [String: String]

    public init(proof: [UInt8], publicOutputs: [UInt8] = [], metadata: [String: String] = [:]) {
        self.proof = proof
        self.publicOutputs = publicOutputs
        self.metadata = metadata
    }
}

extension Duration {
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
