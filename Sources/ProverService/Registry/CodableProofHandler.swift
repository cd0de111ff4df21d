import Foundation

/// A handler whose contexts are `Codable` values instead of raw bytes.
///
/// The canonical context is the value's JSON with sorted keys, so two spellings of the same
/// value (`{"to":5,"from":1}` and `{ "from": 1, "to": 5 }`) make the same task.
public protocol CodableProofHandler: ProofHandler {
    associatedtype Context: Codable & Sendable

    /// Checks (and may normalize) a decoded context; throw to reject it.
    func validate(_ context: Context) throws -> Context
    /// The proofs this one needs.
    func dependencies(ofContext context: Context) throws -> [ProofRequest]
    /// Produces the proof for a decoded context.
    func prove(context: Context, input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact
}

extension CodableProofHandler {
    public func validate(_ context: Context) throws -> Context { context }
    public func dependencies(ofContext context: Context) throws -> [ProofRequest] { [] }

    public func canonicalize(_ context: [UInt8]) throws -> [UInt8] {
        try CanonicalJSON.encode(validate(CanonicalJSON.decode(Context.self, from: context)))
    }

    public func dependencies(of context: [UInt8]) throws -> [ProofRequest] {
        try dependencies(ofContext: CanonicalJSON.decode(Context.self, from: context))
    }

    public func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact {
        try prove(context: CanonicalJSON.decode(Context.self, from: input.context), input: input, cancellation: cancellation)
    }
}

extension ProofRequest {
    /// A request whose context is a `Codable` value (encoded as canonical JSON).
    public init<Context: Encodable>(proofType: String, value: Context, backend: String = "cpu", priority: Int = 0, timeout: Duration? = nil) throws {
        self.init(proofType: proofType, context: try CanonicalJSON.encode(value), backend: backend, priority: priority, timeout: timeout)
    }
}

/// JSON with sorted keys and no escaped slashes: equal values give equal bytes.
package enum CanonicalJSON {
    package static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
