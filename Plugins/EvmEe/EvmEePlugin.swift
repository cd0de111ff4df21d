import CProverABI
import PluginKit

/// EvmEeStf(a, b): the execution chain from block a to block b (DESIGN.md §5).
///
/// Statement (a `PoseidonMachine` with two slots per block): registers SR, BH, TX, ACC;
/// slot 0 (t = 3) hashes [0, SR, TX] into the new state root, slot 1 (t = 4) hashes
/// [0, BH, SR, TX] into the block hash, which the accumulator absorbs: ACC' = β·ACC + BH.
/// The transaction roots are private witness. Public inputs:
/// [a, b, blockHash_{a-1}, stateRoot_{a-1}, blockHash_b, stateRoot_b, accumulator].
struct EvmEePlugin: ProverPlugin {
    static let proofType = "evm-ee-stf"
    static let maxBlocks = 1024
    let name = "evm-ee"
    let version = "1.0.0"
    let summary = "Execution-chain state transitions (EvmEeStf) over the devnet chain model."
    var proofTypes: [ProofTypeInfo] {
        [ProofTypeInfo(
            name: Self.proofType, description: "execution blocks start...end: state roots, block hashes and their accumulator",
            contextSchema: #"{"type":"object","required":["start","end"],"additionalProperties":false,"properties":{"start":{"type":"integer","minimum":1},"end":{"type":"integer","minimum":1}}}"#,
            publicInputs: ["start", "end", "start_block_hash", "start_state_root", "end_block_hash", "end_state_root", "accumulator"])]
    }

    func range(_ context: [UInt8]) throws(PluginFailure) -> (Int, Int) {
        let o = try ContextJSON.integers(context, keys: ["start", "end"])
        let (a, b) = (o["start"]!, o["end"]!)
        guard a >= 1, a <= b else { throw .invalidInput("need 1 ≤ start ≤ end, got start \(a), end \(b)") }
        guard b - a < Self.maxBlocks else { throw .invalidInput("at most \(Self.maxBlocks) blocks per proof, got \(b - a + 1)") }
        return (a, b)
    }

    func canonicalize(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> [UInt8] {
        let (a, b) = try range(context)
        return ContextJSON.canonical(["start": a, "end": b])
    }

    func dependencies(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> [DependencyRequest] { [] }

    // Registers.
    static let SR = 0, BH = 1, TX = 2, ACC = 3

    static func inputs(_ slot: Int, _ r: [AirExpr], _ b: AirBuilder) -> [AirExpr?] {
        let zero = b.constant(.zero)
        return slot == 0 ? [zero, r[SR], r[TX], zero] : [zero, r[BH], r[SR], r[TX]]
    }

    static func updates(_ slot: Int, _ s: [AirExpr], _ r: [AirExpr], _ b: AirBuilder) -> [AirExpr?] {
        slot == 0
            ? [s[0], r[BH], r[TX], r[ACC]]
            : [r[SR], s[0], nil, r[ACC] * Chain.accumulatorBase + s[0]]
    }

    /// The machine and the AIR of a range: constraints, and the boundaries that pin the public inputs.
    func machine(_ context: [UInt8]) throws(PluginFailure) -> (PoseidonMachine, AirBuilder) {
        let (a, b) = try range(context)
        let m = try PoseidonMachine(slotWidths: [3, 4], registerCount: 4, itemCount: b - a + 1)
        let air = m.makeAir(publicInputCount: 7, inputs: Self.inputs, updates: Self.updates)
        let out = m.outputRow
        air.assertBoundary(column: m.registerColumn(Self.BH), row: 0, equalsPublicInput: 2)
        air.assertBoundary(column: m.registerColumn(Self.SR), row: 0, equalsPublicInput: 3)
        air.assertBoundary(column: m.registerColumn(Self.ACC), row: 0, equals: .zero)
        air.assertBoundary(column: m.registerColumn(Self.BH), row: out, equalsPublicInput: 4)
        air.assertBoundary(column: m.registerColumn(Self.SR), row: out, equalsPublicInput: 5)
        air.assertBoundary(column: m.registerColumn(Self.ACC), row: out, equalsPublicInput: 6)
        return (m, air)
    }

    func air(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> AirBuilder {
        try machine(context).1
    }

    func statement(proofType: String, context: [UInt8], dependencies: [DependencyOutputs], call: PluginCallContext) throws(PluginFailure) -> Statement {
        let (a, b) = try range(context)
        guard dependencies.isEmpty else { throw .invalidInput("evm-ee-stf has no dependencies") }
        let parent = try Chain.execBlock(a - 1, call)
        var txRoots: [Felt] = []
        var last = parent
        for n in a...b {
            if n % 16 == 0 { try call.checkCancellation() }
            last = try Chain.execBlock(n, call)
            txRoots.append(try Chain.felt(last.tx_root, "tx root"))
        }
        let startBH = try Chain.felt(parent.block_hash, "block hash"), startSR = try Chain.felt(parent.state_root, "state root")
        let (m, air) = try machine(context)
        let trace = try m.trace(
            air: air, initialRegisters: [startSR, startBH, txRoots[0], .zero], inputs: Self.inputs, updates: Self.updates,
            witness: { item, _, _ in item + 1 < txRoots.count ? txRoots[item + 1] : .zero }, call: call)
        let out = m.outputRow
        let endSR = trace[out, m.registerColumn(Self.SR)], endBH = trace[out, m.registerColumn(Self.BH)]
        let acc = trace[out, m.registerColumn(Self.ACC)]
        guard endBH == (try Chain.felt(last.block_hash, "block hash")), endSR == (try Chain.felt(last.state_root, "state root")) else {
            throw .permanent("execution blocks \(a)...\(b) do not hash to the chain's block \(b) (block hash \(endBH), chain says \(last.block_hash))")
        }
        let publicInputs = [Felt(UInt64(a)), Felt(UInt64(b)), startBH, startSR, endBH, endSR, acc]
        return Statement(air: air, trace: trace, publicInputs: publicInputs)
    }
}

@_cdecl("prover_plugin_entry_v1")
public func proverPluginEntryV1(
    _ hostABIMajor: UInt32, _ hostABIMinor: UInt32, _ host: UnsafePointer<prover_host_api_v1>?
) -> UnsafeRawPointer? {
    PluginExport.entry(EvmEePlugin(), hostABIMajor: hostABIMajor, hostABIMinor: hostABIMinor, host: host)
}
