import CProverABI
import PluginKit

/// ClStf(s1, s2): the L2 chain over blocks s1...s2 (DESIGN.md §5), bound to the EvmEeStf proof
/// of the execution blocks those L2 blocks reference.
///
/// Statement (a `PoseidonMachine`, one t = 4 slot per L2 block): registers L2H, EH, NUM, ACC;
/// the slot hashes [0, L2H, EH, NUM] into the next L2 hash, NUM' = NUM + 1 and the accumulator
/// absorbs the referenced execution hash: ACC' = β·ACC + EH. The execution hashes are private
/// witness. Public inputs: [s1, s2, l2Hash_{s1-1}, l2Hash_{s2}, exec accumulator, exec start,
/// exec end]; the accumulator and the execution range are the EvmEeStf dependency's outputs,
/// so a ClStf statement only exists for a dependency over exactly the referenced blocks.
struct ClStfPlugin: ProverPlugin {
    static let proofType = "cl-stf"
    static let maxBlocks = 1024
    let name = "cl-stf"
    let version = "1.0.0"
    let summary = "L2 chain state transitions (ClStf), bound to the EvmEeStf proof of the execution blocks they reference."
    var proofTypes: [ProofTypeInfo] {
        [ProofTypeInfo(
            name: Self.proofType, description: "L2 blocks start...end: L2 hashes and the accumulator over referenced execution hashes",
            contextSchema: #"{"type":"object","required":["start","end"],"additionalProperties":false,"properties":{"start":{"type":"integer","minimum":1},"end":{"type":"integer","minimum":1}}}"#,
            publicInputs: ["start", "end", "start_l2_hash", "end_l2_hash", "exec_accumulator", "exec_start", "exec_end"])]
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

    func dependencies(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> [DependencyRequest] {
        let (a, b) = try range(context)
        let first = try Chain.l2Block(a, call), last = try Chain.l2Block(b, call)
        return [DependencyRequest(proofType: "evm-ee-stf", context: ContextJSON.canonical(["start": first.exec_block, "end": last.exec_block]))]
    }

    static let L2H = 0, EH = 1, NUM = 2, ACC = 3

    static func inputs(_ slot: Int, _ r: [AirExpr], _ b: AirBuilder) -> [AirExpr?] {
        [b.constant(.zero), r[L2H], r[EH], r[NUM]]
    }

    static func updates(_ slot: Int, _ s: [AirExpr], _ r: [AirExpr], _ b: AirBuilder) -> [AirExpr?] {
        [s[0], nil, r[NUM] + Felt.one, r[ACC] * Chain.accumulatorBase + r[EH]]
    }

    /// The machine and the AIR of a range: constraints, and the boundaries that pin the public inputs.
    func machine(_ context: [UInt8]) throws(PluginFailure) -> (PoseidonMachine, AirBuilder) {
        let (a, b) = try range(context)
        let m = try PoseidonMachine(slotWidths: [4], registerCount: 4, itemCount: b - a + 1)
        let air = m.makeAir(publicInputCount: 7, inputs: Self.inputs, updates: Self.updates)
        let out = m.outputRow
        air.assertBoundary(column: m.registerColumn(Self.NUM), row: 0, equalsPublicInput: 0)
        air.assertBoundary(column: m.registerColumn(Self.L2H), row: 0, equalsPublicInput: 2)
        air.assertBoundary(column: m.registerColumn(Self.ACC), row: 0, equals: .zero)
        air.assertBoundary(column: m.registerColumn(Self.L2H), row: out, equalsPublicInput: 3)
        air.assertBoundary(column: m.registerColumn(Self.ACC), row: out, equalsPublicInput: 4)
        return (m, air)
    }

    func air(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> AirBuilder {
        try machine(context).1
    }

    func statement(proofType: String, context: [UInt8], dependencies: [DependencyOutputs], call: PluginCallContext) throws(PluginFailure) -> Statement {
        let (a, b) = try range(context)
        guard dependencies.count == 1, dependencies[0].proofType == "evm-ee-stf", dependencies[0].publicOutputs.count == 7 else {
            throw .invalidInput("cl-stf needs exactly one evm-ee-stf dependency with 7 outputs")
        }
        let dep = dependencies[0].publicOutputs
        let parent = try Chain.l2Block(a - 1, call)
        var blocks: [Chain.L2Block] = []
        for s in a...b {
            if s % 16 == 0 { try call.checkCancellation() }
            blocks.append(try Chain.l2Block(s, call))
        }
        for (i, block) in blocks.enumerated().dropFirst() where block.exec_block != blocks[i - 1].exec_block + 1 {
            throw .permanent("L2 block \(block.number) references execution block \(block.exec_block), not \(blocks[i - 1].exec_block + 1)")
        }
        let execStart = blocks.first!.exec_block, execEnd = blocks.last!.exec_block
        guard dep[0] == Felt(UInt64(execStart)), dep[1] == Felt(UInt64(execEnd)) else {
            throw .permanent("the evm-ee-stf dependency covers blocks \(dep[0].low64)...\(dep[1].low64), L2 blocks \(a)...\(b) reference \(execStart)...\(execEnd)")
        }
        var execHashes: [Felt] = []
        for block in blocks { execHashes.append(try Chain.felt(block.exec_hash, "exec hash")) }
        let acc = Chain.accumulate(execHashes)
        guard acc == dep[6] else {
            throw .permanent("the execution hashes L2 blocks \(a)...\(b) reference (accumulator \(acc)) differ from the proven evm-ee-stf outputs (accumulator \(dep[6])): the chain changed after the dependency was proven, or the dependency is wrong")
        }
        let startL2 = try Chain.felt(parent.l2_hash, "L2 hash")
        let (m, air) = try machine(context)
        let trace = try m.trace(
            air: air, initialRegisters: [startL2, execHashes[0], Felt(UInt64(a)), .zero], inputs: Self.inputs, updates: Self.updates,
            witness: { item, _, _ in item + 1 < execHashes.count ? execHashes[item + 1] : .zero }, call: call)
        let out = m.outputRow
        let endL2 = trace[out, m.registerColumn(Self.L2H)]
        guard endL2 == (try Chain.felt(blocks.last!.l2_hash, "L2 hash")) else {
            throw .permanent("L2 blocks \(a)...\(b) do not hash to the chain's L2 block \(b) (\(endL2), chain says \(blocks.last!.l2_hash))")
        }
        guard trace[out, m.registerColumn(Self.ACC)] == acc else { throw .permanent("internal: accumulator mismatch") }
        let publicInputs = [Felt(UInt64(a)), Felt(UInt64(b)), startL2, endL2, dep[6], dep[0], dep[1]]
        return Statement(air: air, trace: trace, publicInputs: publicInputs)
    }
}

@_cdecl("prover_plugin_entry_v1")
public func proverPluginEntryV1(
    _ hostABIMajor: UInt32, _ hostABIMinor: UInt32, _ host: UnsafePointer<prover_host_api_v1>?
) -> UnsafeRawPointer? {
    PluginExport.entry(ClStfPlugin(), hostABIMajor: hostABIMajor, hostABIMinor: hostABIMinor, host: host)
}
