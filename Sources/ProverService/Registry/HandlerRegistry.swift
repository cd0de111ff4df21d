/// The handlers of a service, keyed by proof type. Immutable once built.
public struct HandlerRegistry: Sendable {
    private var handlers: [String: any ProofHandler] = [:]

    public init(_ handlers: [any ProofHandler] = []) {
        for handler in handlers { register(handler) }
    }

    /// Registers (or replaces) the handler for its proof type.
    public mutating func register(_ handler: any ProofHandler) {
        handlers[handler.proofType] = handler
    }

    /// The handler for a proof type.
    public func handler(for proofType: String) -> (any ProofHandler)? { handlers[proofType] }

    /// All registered proof types, sorted.
    public var proofTypes: [String] { handlers.keys.sorted() }

    /// The handler, or `ProverServiceError.unknownProofType`.
    func require(_ proofType: String) throws -> any ProofHandler {
        guard let handler = handlers[proofType] else {
            throw ProverServiceError.unknownProofType.with("no handler for proof type '\(proofType)'")
        }
        return handler
    }
}
