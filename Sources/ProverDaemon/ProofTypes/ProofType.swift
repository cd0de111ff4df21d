public import ProverService

/// A proof type the daemon serves: the ProverService handler that proves it, and the check
/// the daemon runs on every proof before it is stored or returned.
public protocol DaemonProofType: Sendable {
    /// The routing key (`type` in API requests).
    var name: String { get }
    /// One line for `GET /v1/proof-types`.
    var summary: String { get }
    /// Proves contexts of this type.
    var handler: any ProofHandler { get }
    /// Checks `artifact` against the canonical context (and the statement it implies); throws
    /// a `ProofVerificationError` naming the reason when it does not verify.
    func verify(canonicalContext: [UInt8], artifact: ProofArtifact) throws
}

/// Why a proof did not verify.
public struct ProofVerificationError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The proof types of one daemon, by name. Duplicates are refused.
public struct ProofTypeCatalog: Sendable {
    public private(set) var types: [String: any DaemonProofType] = [:]

    public init(_ types: [any DaemonProofType] = []) throws(DaemonError) {
        for type in types { try add(type) }
    }

    public mutating func add(_ type: any DaemonProofType) throws(DaemonError) {
        guard types[type.name] == nil else { throw DaemonError.duplicateProofType(type.name) }
        types[type.name] = type
    }

    public subscript(name: String) -> (any DaemonProofType)? { types[name] }

    /// Names in sorted order.
    public var names: [String] { types.keys.sorted() }

    /// The handlers to register with ProverService.
    public var handlers: [any ProofHandler] { names.map { types[$0]!.handler } }
}
