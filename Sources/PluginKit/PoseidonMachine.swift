import CProverABI

/// A reusable AIR layout for statements made of chained Poseidon permutations (circomlib,
/// BN254), with the permutation arithmetic constrained row by row.
///
/// Layout: `stateWidth` state columns (the widest slot's t) followed by `registerCount`
/// register columns. The trace is a sequence of *items* (e.g. blocks), each a cycle of
/// `slotWidths.count` slots of 128 rows; slot i runs one Poseidon permutation of width
/// `slotWidths[i]`:
/// - slot row 0 holds the permutation input, which the **entry constraints** tie to the
///   registers (`inputs(slot, registers)`);
/// - the transition out of slot row j < rounds applies round j (add round constants, S-box x^5
///   on every element in full rounds or on the first in partial rounds, MDS), so slot row
///   `rounds` holds the output; state columns ≥ t are copied;
/// - rows after that copy the state; the transition out of the slot's last row (the **step**)
///   updates the registers: register k becomes `updates(slot, output, registers)[k]`, or a free
///   witness where that is nil. Registers are copied on every other row.
///
/// The trace has `traceLength` = the next power of two above items × cycle rows, so row
/// `outputRow` (= items × cycle) holds the registers after the last item's last step; the
/// extra cycles run the same rules on witness values the generator supplies.
///
/// Constraints: per state column, the round/copy constraint (trace degree 5) and, if any slot
/// pins it, an entry constraint (degree 1 for linear inputs); per register, the step/hold
/// constraint. Row kinds are periodic selector columns with one cycle per item; selectors
/// that share a constraint never overlap on a row.
public struct PoseidonMachine {
    public static let slotRows = 128

    public let slotWidths: [Int]
    public let registerCount: Int
    public let itemCount: Int
    public let stateWidth: Int

    struct Parameters {
        let width: Int
        let partialRounds: Int
        let rounds: Int
        let roundConstants: [Felt]
        let mds: [Felt]
    }

    let parameters: [Int: Parameters]

    /// Input expressions of a slot (stateWidth entries, nil = free) from the register expressions.
    public typealias Inputs = (_ slot: Int, _ registers: [AirExpr], _ builder: AirBuilder) -> [AirExpr?]
    /// Register updates at a slot's step (registerCount entries, nil = witness) from the slot's
    /// output state and the registers.
    public typealias Updates = (_ slot: Int, _ output: [AirExpr], _ registers: [AirExpr], _ builder: AirBuilder) -> [AirExpr?]

    /// - Parameters: slotWidths: 1, 2 or 4 permutation widths (2...5) per item.
    public init(slotWidths: [Int], registerCount: Int, itemCount: Int) throws(PluginFailure) {
        guard [1, 2, 4].contains(slotWidths.count), slotWidths.allSatisfy({ (2...5).contains($0) }) else {
            throw .permanent("PoseidonMachine: 1, 2 or 4 slots of width 2...5")
        }
        guard itemCount >= 1, itemCount <= 1 << 14 else { throw .permanent("PoseidonMachine: 1...16384 items") }
        self.slotWidths = slotWidths
        self.registerCount = registerCount
        self.itemCount = itemCount
        stateWidth = slotWidths.max()!
        var parameters: [Int: Parameters] = [:]
        for t in Set(slotWidths) {
            var partial: UInt32 = 0
            var rc: UnsafePointer<UInt8>?
            var mds: UnsafePointer<UInt8>?
            guard PluginEnvironment.host.pointee.poseidon_parameters!(UInt32(t), &partial, &rc, &mds) == PROVER_OK, let rc, let mds else {
                throw .permanent("the host has no Poseidon parameters for width \(t)")
            }
            let rounds = 8 + Int(partial)
            func elements(_ p: UnsafePointer<UInt8>, _ n: Int) -> [Felt] {
                (0..<n).map { Felt(littleEndian: UnsafeRawPointer(p + 32 * $0))! }
            }
            parameters[t] = Parameters(
                width: t, partialRounds: Int(partial), rounds: rounds, roundConstants: elements(rc, rounds * t), mds: elements(mds, t * t))
        }
        self.parameters = parameters
    }

    public var cycleRows: Int { Self.slotRows * slotWidths.count }
    public var traceWidth: Int { stateWidth + registerCount }
    public var traceLength: Int {
        var n = cycleRows
        while n <= itemCount * cycleRows { n <<= 1 }
        return n
    }

    public func stateColumn(_ j: Int) -> Int { j }
    public func registerColumn(_ k: Int) -> Int { stateWidth + k }
    /// The first row of an item (its registers are the item's inputs).
    public func itemRow(_ item: Int) -> Int { item * cycleRows }
    /// The row after the last item: registers hold the final values.
    public var outputRow: Int { itemCount * cycleRows }

    /// A builder of the right shape with the machine's constraints.
    public func makeAir(publicInputCount: Int, inputs: Inputs, updates: Updates) -> AirBuilder {
        let b = AirBuilder(traceWidth: traceWidth, traceLength: traceLength, publicInputCount: publicInputCount)
        let cycle = cycleRows, W = stateWidth, S = slotWidths.count
        func selector(_ on: (_ slot: Int, _ j: Int) -> Bool) -> AirExpr {
            b.periodic((0..<cycle).map { on($0 / Self.slotRows, $0 % Self.slotRows) ? Felt.one : Felt.zero })
        }
        let s = (0..<W).map { b.current($0) }
        let sNext = (0..<W).map { b.next($0) }
        let r = (0..<registerCount).map { b.current(W + $0) }
        let rNext = (0..<registerCount).map { b.next(W + $0) }
        // Round constants by row (0 outside round rows and past a slot's width).
        let rc = (0..<W).map { c in
            b.periodic((0..<cycle).map { row in
                let t = slotWidths[row / Self.slotRows], j = row % Self.slotRows, p = parameters[t]!
                return j < p.rounds && c < t ? p.roundConstants[j * t + c] : Felt.zero
            })
        }
        let y = (0..<W).map { s[$0] + rc[$0] }
        let y5 = y.map { $0.power(5) }
        for c in 0..<W {
            var terms: [AirExpr] = []
            for t in Set(slotWidths).sorted() where c < t {
                let p = parameters[t]!
                let full = selector { slot, j in slotWidths[slot] == t && j < p.rounds && (j < 4 || j >= 4 + p.partialRounds) }
                let partial = selector { slot, j in slotWidths[slot] == t && j >= 4 && j < 4 + p.partialRounds }
                let m = (0..<t).map { b.constant(p.mds[c * t + $0]) }
                let fullOut = (1..<t).reduce(m[0] * y5[0]) { $0 + m[$1] * y5[$1] }
                let partialOut = (1..<t).reduce(m[0] * y5[0]) { $0 + m[$1] * y[$1] }
                terms.append(full * (sNext[c] - fullOut))
                terms.append(partial * (sNext[c] - partialOut))
            }
            // Copy: rows after the rounds (but the step), and every non-step row of a slot narrower than c.
            let copy = selector { slot, j in
                let t = slotWidths[slot], p = parameters[t]!
                return j < Self.slotRows - 1 && (j >= p.rounds || c >= t)
            }
            terms.append(copy * (sNext[c] - s[c]))
            b.assertTransition(terms.dropFirst().reduce(terms[0], +))
        }
        // Entry constraints: slot inputs from the registers.
        var entry: [[AirExpr]] = Array(repeating: [], count: W)
        for slot in 0..<S {
            let inputsOfSlot = inputs(slot, r, b)
            precondition(inputsOfSlot.count == W, "inputs must give \(W) entries")
            let on = selector { sl, j in sl == slot && j == 0 }
            for c in 0..<W {
                if let e = inputsOfSlot[c] { entry[c].append(on * (s[c] - e)) }
            }
        }
        for c in 0..<W where !entry[c].isEmpty { b.assertTransition(entry[c].dropFirst().reduce(entry[c][0], +)) }
        // Registers: hold everywhere but the steps; at a step, the update (or a free witness).
        let hold = selector { _, j in j != Self.slotRows - 1 }
        var registerTerms: [[AirExpr]] = (0..<registerCount).map { [hold * (rNext[$0] - r[$0])] }
        for slot in 0..<S {
            let u = updates(slot, s, r, b)
            precondition(u.count == registerCount, "updates must give \(registerCount) entries")
            let on = selector { sl, j in sl == slot && j == Self.slotRows - 1 }
            for k in 0..<registerCount {
                if let e = u[k] { registerTerms[k].append(on * (rNext[k] - e)) }
            }
        }
        for k in 0..<registerCount { b.assertTransition(registerTerms[k].dropFirst().reduce(registerTerms[k][0], +)) }
        return b
    }

    /// The honest trace: runs every item (and the padding items) from the initial registers,
    /// evaluating the AIR's own input and update expressions; `witness(item, slot, register)`
    /// supplies registers the updates leave free, and `freeInput(item, slot, column)` state
    /// inputs the entry constraints leave free (default zero).
    public func trace(
        air b: AirBuilder, initialRegisters: [Felt], inputs: Inputs, updates: Updates,
        witness: (_ item: Int, _ slot: Int, _ register: Int) -> Felt,
        freeInput: (_ item: Int, _ slot: Int, _ column: Int) -> Felt = { _, _, _ in .zero },
        call: PluginCallContext? = nil
    ) throws(PluginFailure) -> TraceBuffer {
        precondition(initialRegisters.count == registerCount)
        let W = stateWidth, S = slotWidths.count
        var out = TraceBuffer(width: traceWidth, length: traceLength)
        // The expressions once, evaluated per slot on a row of [state..., registers...].
        let r = (0..<registerCount).map { b.current(W + $0) }
        let s = (0..<W).map { b.current($0) }
        let inputExprs = (0..<S).map { inputs($0, r, b) }
        let updateExprs = (0..<S).map { updates($0, s, r, b) }
        var registers = initialRegisters
        var row = 0
        for item in 0..<(traceLength / cycleRows) {
            if item % 4 == 3, let call { try call.checkCancellation() }
            for slot in 0..<S {
                let t = slotWidths[slot], p = parameters[t]!
                let regRow = [Felt](repeating: .zero, count: W) + registers
                var input = [Felt](repeating: .zero, count: W)
                for c in 0..<W {
                    input[c] = inputExprs[slot][c].map { b.evaluate($0, current: regRow) } ?? freeInput(item, slot, c)
                }
                // Every round's state from the host.
                var states = [UInt8](repeating: 0, count: (p.rounds + 1) * t * 32)
                let flat = input[0..<t].flatMap(\.bytes)
                guard PluginEnvironment.host.pointee.poseidon_permute_trace!(UInt32(t), flat, &states, states.count) == PROVER_OK else {
                    throw .permanent("the host's Poseidon trace failed")
                }
                var state = input
                for j in 0..<Self.slotRows {
                    if j <= p.rounds {
                        states.withUnsafeBytes { raw in
                            for c in 0..<t { state[c] = Felt(littleEndian: raw.baseAddress! + 32 * (j * t + c))! }
                        }
                    }
                    for c in 0..<W { out[row, c] = state[c] }
                    for k in 0..<registerCount { out[row, W + k] = registers[k] }
                    row += 1
                }
                let stepRow = state + registers
                registers = (0..<registerCount).map { k in
                    updateExprs[slot][k].map { b.evaluate($0, current: stepRow) } ?? witness(item, slot, k)
                }
            }
        }
        return out
    }
}
