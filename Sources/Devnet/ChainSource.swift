import Foundation

/// Where plugins' chain data comes from: the embedded devnet, or an external node
/// serving the same JSON methods (ProverDaemon's `JSONRPCChainSource`, `prover serve
/// --chain-rpc`). The host's `fetch` callback forwards to it.
///
/// Methods (params and results are UTF-8 JSON; field values are `0x` + 64 hex digits,
/// big-endian): `chain_getInfo {}`, `chain_getExecBlock {"number": n}`,
/// `chain_getL2Block {"number": s}`, `chain_getCheckpoint {"index": k}`, and for the checkpoint
/// runner `chain_submitCheckpointProof {"index", "commitment", "proof"}` (docs/plugin-abi.md).
public protocol ChainSource: Sendable {
    /// Answers one method call.
    func fetch(method: String, params: [UInt8]) throws(ChainError) -> [UInt8]
}

/// Why a chain call failed. `notFound` and `invalidRequest` will fail again;
/// `unavailable` may succeed later.
public struct ChainError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case notFound = "not_found"
        case invalidRequest = "invalid_request"
        case unavailable = "unavailable"
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
