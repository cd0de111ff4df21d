import CProverABI
import PluginKit

/// Checkpoint(k): the checkpoint commitment over its ClStf outputs (DESIGN.md §5):
/// commitment_k = Poseidon(commitment_{k-1}, l2Hash_end, exec accumulator).
///
/// Statement (a `PoseidonMachine`, one t = 4 slot): registers C, L2, ACC; the slot hashes
/// [0, C, L2, ACC] into the new commitment. Public inputs: [k, l2 start, l2 end,
/// commitment_{k-1}, l2Hash_end, exec accumulator, commitment_k], where l2Hash_end and the
/// accumulator are the ClStf dependency's outputs, and commitment_k must be the chain's.
struct CheckpointPlugin: ProverPlugin {
    static let proofType = "checkpoint"
    let name = "checkpoint"
    let version = "1.0.0"
    let summary = "Checkpoint commitments over ClStf outputs."
    var proofTypes: [ProofTypeInfo] {
        [ProofTypeInfo(
            name: Self.proofType, description: "checkpoint k: its commitment from the previous one and its ClStf outputs",
            contextSchema: #"{"type":"object","required":["index"],"additionalProperties":false,"properties":{"index":{"type":"integer","minimum":1}}}"#,
            publicInputs: ["index", "l2_start", "l2_end", "prev_commitment", "l2_end_hash", "exec_accumulator", "commitment"])]
    }

    func index(_ context: [UInt8]) throws(PluginFailure) -> Int {
        let k = try ContextJSON.integers(context, keys: ["index"])["index"]!
        guard k >= 1 else { throw .invalidInput("checkpoint index must be ≥ 1") }
        return k
    }

    func canonicalize(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> [UInt8] {
        ContextJSON.canonical(["index": try index(context)])
    }

    func dependencies(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> [DependencyRequest] {
        let c = try Chain.checkpoint(try index(context), call)
        return [DependencyRequest(proofType: "cl-stf", context: ContextJSON.canonical(["start": c.l2_start, "end": c.l2_end]))]
    }

    static let C = 0, L2 = 1, ACC = 2

    static func inputs(_ slot: Int, _ r: [AirExpr], _ b: AirBuilder) -> [AirExpr?] { [b.constant(.zero), r[C], r[L2], r[ACC]] }
    static func updates(_ slot: Int, _ s: [AirExpr], _ r: [AirExpr], _ b: AirBuilder) -> [AirExpr?] { [s[0], r[L2], r[ACC]] }

    /// The machine and the AIR (the same for every k): constraints and boundaries.
    func machine() throws(PluginFailure) -> (PoseidonMachine, AirBuilder) {
        let m = try PoseidonMachine(slotWidths: [4], registerCount: 3, itemCount: 1)
        let air = m.makeAir(publicInputCount: 7, inputs: Self.inputs, updates: Self.updates)
        air.assertBoundary(column: m.registerColumn(Self.C), row: 0, equalsPublicInput: 3)
        air.assertBoundary(column: m.registerColumn(Self.L2), row: 0, equalsPublicInput: 4)
        air.assertBoundary(column: m.registerColumn(Self.ACC), row: 0, equalsPublicInput: 5)
        air.assertBoundary(column: m.registerColumn(Self.C), row: m.outputRow, equalsPublicInput: 6)
        return (m, air)
    }

    func air(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> AirBuilder {
        _ = try index(context)
        return try machine().1
    }

    func statement(proofType: String, context: [UInt8], dependencies: [DependencyOutputs], call: PluginCallContext) throws(PluginFailure) -> Statement {
        let k = try index(context)
        guard dependencies.count == 1, dependencies[0].proofType == "cl-stf", dependencies[0].publicOutputs.count == 7 else {
            throw .invalidInput("checkpoint needs exactly one cl-stf dependency with 7 outputs")
        }
        let dep = dependencies[0].publicOutputs
        let c = try Chain.checkpoint(k, call)
        guard dep[0] == Felt(UInt64(c.l2_start)), dep[1] == Felt(UInt64(c.l2_end)) else {
            throw .permanent("the cl-stf dependency covers L2 blocks \(dep[0].low64)...\(dep[1].low64), checkpoint \(k) covers \(c.l2_start)...\(c.l2_end)")
        }
        let prev = try Chain.felt(c.prev_commitment, "commitment")
        let (l2End, acc) = (dep[3], dep[4])
        let (m, air) = try machine()
        let trace = try m.trace(
            air: air, initialRegisters: [prev, l2End, acc], inputs: Self.inputs, updates: Self.updates, witness: { _, _, _ in .zero },
            call: call)
        let commitment = trace[m.outputRow, m.registerColumn(Self.C)]
        guard commitment == (try Chain.felt(c.commitment, "commitment")) else {
            throw .permanent("checkpoint \(k): the proven ClStf outputs give commitment \(commitment), the chain says \(c.commitment)")
        }
        let publicInputs = [Felt(UInt64(k)), dep[0], dep[1], prev, l2End, acc, commitment]
        return Statement(air: air, trace: trace, publicInputs: publicInputs)
    }
}

@_cdecl("prover_plugin_entry_v1")
public func proverPluginEntryV1(
    _ hostABIMajor: UInt32, _ hostABIMinor: UInt32, _ host: UnsafePointer<prover_host_api_v1>?
) -> UnsafeRawPointer? {
    PluginExport.entry(CheckpointPlugin(), hostABIMajor: hostABIMajor, hostABIMinor: hostABIMinor, host: host)
}
