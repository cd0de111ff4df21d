/// The chain model's JSON (DESIGN.md §5) as the host's chain methods return it, for the
/// bundled plugins and anyone writing a plugin over the same chain.
public enum Chain {
    public struct ExecBlock: Decodable, Sendable {
        public let number: Int
        public let tx_root: String
        public let state_root: String
        public let block_hash: String
    }

    public struct L2Block: Decodable, Sendable {
        public let number: Int
        public let exec_block: Int
        public let exec_hash: String
        public let l2_hash: String
    }

    public struct Checkpoint: Decodable, Sendable {
        public let index: Int
        public let l2_start: Int
        public let l2_end: Int
        public let exec_start: Int
        public let exec_end: Int
        public let prev_commitment: String
        public let l2_end_hash: String
        public let exec_accumulator: String
        public let commitment: String
    }

    public static func execBlock(_ n: Int, _ call: PluginCallContext) throws(PluginFailure) -> ExecBlock {
        try call.fetch(ExecBlock.self, "chain_getExecBlock", ["number": n])
    }

    public static func l2Block(_ n: Int, _ call: PluginCallContext) throws(PluginFailure) -> L2Block {
        try call.fetch(L2Block.self, "chain_getL2Block", ["number": n])
    }

    public static func checkpoint(_ k: Int, _ call: PluginCallContext) throws(PluginFailure) -> Checkpoint {
        try call.fetch(Checkpoint.self, "chain_getCheckpoint", ["index": k])
    }

    /// Parses a chain hash; a malformed one is the chain source's fault (permanent).
    public static func felt(_ hex: String, _ what: String) throws(PluginFailure) -> Felt {
        guard let v = Felt(hex: hex) else { throw .permanent("chain returned a malformed \(what): \(hex)") }
        return v
    }

    /// β of the accumulator acc_i = β·acc_{i-1} + h_i (acc_0 = 0) over a range's hashes.
    public static let accumulatorBase = Felt(982_451_653)

    public static func accumulate(_ hashes: [Felt]) -> Felt {
        hashes.reduce(Felt.zero) { accumulatorBase * $0 + $1 }
    }
}
