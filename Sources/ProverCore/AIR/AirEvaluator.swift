import CFieldKernels

/// Evaluates an AIR's transition constraints over blocks of rows of a trace or its LDE.
///
/// Compiled once from a program: the nodes reachable from the constraints become a flat list
/// of instructions over a register file, registers are reused after an operand's last use,
/// constants and public inputs live in registers filled once per thread, and each constraint
/// root is folded into the output (times its random coefficient) as soon as it is computed.
/// Evaluation runs instruction by instruction over a block of rows, so each instruction is a
/// tight loop; the scratch is allocated once per thread, nothing per cell (docs/air.md).
public struct AirEvaluator: Sendable {
    package enum Op: UInt8, Sendable {
        case loadCurrent, loadNext, loadPeriodic, add, sub, mul, neg, pow, accumulate
    }

    package struct Instruction: Sendable {
        package var op: Op
        /// Destination register (for `accumulate`, the constraint index).
        package var dst: Int32
        package var a: Int32
        /// Second operand register, or the exponent of `pow`.
        package var b: Int32
    }

    public let program: AirProgram
    package let instructions: [Instruction]
    /// (register, value) pairs: constants and public inputs, filled before evaluating.
    package let uniforms: [(register: Int, source: AirNode)]
    /// Number of registers.
    public let registerCount: Int
    /// Rows per block.
    public let blockRows: Int

    /// Compiles `program`.
    public init(_ program: AirProgram) {
        self.program = program
        let nodes = program.nodes
        // Reachability from the constraint roots, walking the topological order backwards.
        var live = [Bool](repeating: false, count: nodes.count)
        for c in program.constraints { live[c.root] = true }
        var lastUse = [Int](repeating: -1, count: nodes.count)
        for i in stride(from: nodes.count - 1, through: 0, by: -1) where live[i] {
            let (a, b) = nodes[i].children
            if let a { live[a] = true; lastUse[a] = max(lastUse[a], i) }
            if let b { live[b] = true; lastUse[b] = max(lastUse[b], i) }
        }
        for c in program.constraints { lastUse[c.root] = max(lastUse[c.root], c.root) }
        var rootsAt = [Int: [Int]]()
        for (k, c) in program.constraints.enumerated() { rootsAt[c.root, default: []].append(k) }

        var register = [Int](repeating: -1, count: nodes.count)
        var uniforms: [(register: Int, source: AirNode)] = []
        var free: [Int] = []
        var registerCount = 0
        func allocate() -> Int {
            if let r = free.popLast() { return r }
            registerCount += 1
            return registerCount - 1
        }
        // Uniform values get registers of their own that are never freed.
        for (i, node) in nodes.enumerated() where live[i] {
            switch node {
            case .constant, .publicInput:
                register[i] = allocate()
                uniforms.append((register[i], node))
            default: break
            }
        }
        var code: [Instruction] = []
        func release(_ operand: Int?, at i: Int) {
            guard let operand, lastUse[operand] == i, !nodes[operand].isUniform else { return }
            free.append(register[operand])
        }
        for (i, node) in nodes.enumerated() where live[i] {
            if !node.isUniform {
                let (a, b) = node.children
                // `pow` squares in place, so its destination must not share its operand's
                // register; element-wise ops may.
                let r: Int
                if case .pow = node {
                    r = allocate()
                    release(a, at: i)
                } else {
                    release(a, at: i)
                    if b != a { release(b, at: i) }
                    r = allocate()
                }
                register[i] = r
                let ra = Int32(a.map { register[$0] } ?? 0)
                let rb = Int32(b.map { register[$0] } ?? 0)
                let dst = Int32(r)
                switch node {
                case .current(let c): code.append(Instruction(op: .loadCurrent, dst: dst, a: Int32(c), b: 0))
                case .next(let c): code.append(Instruction(op: .loadNext, dst: dst, a: Int32(c), b: 0))
                case .periodic(let p): code.append(Instruction(op: .loadPeriodic, dst: dst, a: Int32(p), b: 0))
                case .add: code.append(Instruction(op: .add, dst: dst, a: ra, b: rb))
                case .sub: code.append(Instruction(op: .sub, dst: dst, a: ra, b: rb))
                case .mul: code.append(Instruction(op: .mul, dst: dst, a: ra, b: rb))
                case .neg: code.append(Instruction(op: .neg, dst: dst, a: ra, b: 0))
                case .pow(_, let e): code.append(Instruction(op: .pow, dst: dst, a: ra, b: Int32(e)))
                case .constant, .publicInput: break
                }
            }
            for k in rootsAt[i] ?? [] {
                code.append(Instruction(op: .accumulate, dst: Int32(k), a: Int32(register[i]), b: 0))
            }
            if lastUse[i] == i, !node.isUniform { free.append(register[i]) }
        }
        self.instructions = code
        self.uniforms = uniforms
        self.registerCount = max(1, registerCount)
        self.blockRows = min(256, max(16, 8192 / self.registerCount))
    }

    /// Evaluates `sum_k coefficients[k] * C_k(row)` for every row in `rows` of `trace` into
    /// `output[row - rows.lowerBound]`.
    ///
    /// - `nextRowOffset`: how far the "next" row is (1 on the trace, the blowup on an LDE);
    ///   rows wrap around `trace.rowCount`.
    /// - `periodic`: per periodic column, its values over the evaluated domain; row `i` reads
    ///   `periodic[p][i % periodic[p].count]` (power-of-two counts). On the trace itself pass
    ///   `program.periodicColumns`; on an LDE, `program.periodicEvaluations(blowup:shift:)`.
    /// - `threads`: worker count (default: all cores for large ranges).
    public func evaluate(
        rows: Range<Int>, trace: AirTraceView, nextRowOffset: Int, periodic: [[Fr]], publicInputs: [Fr],
        coefficients: [Fr], into output: UnsafeMutableBufferPointer<Fr>, threads: Int? = nil
    ) {
        precondition(trace.width == program.traceWidth, "trace width \(trace.width) != \(program.traceWidth)")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= trace.rowCount && output.count >= rows.count)
        precondition(nextRowOffset >= 0 && nextRowOffset < trace.rowCount)
        precondition(periodic.count == program.periodicColumns.count && periodic.allSatisfy { $0.count > 0 && $0.count & ($0.count - 1) == 0 })
        precondition(publicInputs.count == program.publicInputCount && coefficients.count == program.constraints.count)
        guard !rows.isEmpty else { return }
        let uniformValues = uniforms.map { u -> (Int, Fr) in
            switch u.source {
            case .constant(let i): (u.register, program.constants[i])
            case .publicInput(let i): (u.register, publicInputs[i])
            default: (u.register, .zero)
            }
        }
        let threadCount = threads ?? (rows.count >= 1 << 12 ? ProcessorInfo.activeCores : 1)
        let out = SendablePointer(output.baseAddress!)
        let start = rows.lowerBound
        Parallel.ranges(rows.count, pieces: threadCount, grain: blockRows) { offset, count in
            let scratch = UnsafeMutablePointer<Fr>.allocate(capacity: registerCount * blockRows)
            defer { scratch.deallocate() }
            for (r, v) in uniformValues { (scratch + r * blockRows).initialize(repeating: v, count: blockRows) }
            var done = 0
            while done < count {
                let n = min(blockRows, count - done)
                run(
                    firstRow: start + offset + done, count: n, trace: trace, nextRowOffset: nextRowOffset,
                    periodic: periodic, coefficients: coefficients, scratch: scratch, out: out.pointer + offset + done)
                done += n
            }
        }
    }

    /// One block: every instruction over `count` rows.
    private func run(
        firstRow: Int, count n: Int, trace: AirTraceView, nextRowOffset: Int, periodic: [[Fr]],
        coefficients: [Fr], scratch: UnsafeMutablePointer<Fr>, out: UnsafeMutablePointer<Fr>
    ) {
        let stride = blockRows
        out.update(repeating: .zero, count: n)
        for ins in instructions {
            let d = scratch + Int(ins.dst) * stride
            let a = scratch + Int(ins.a) * stride
            let b = scratch + Int(ins.b) * stride
            switch ins.op {
            case .loadCurrent:
                let column = Int(ins.a)
                for j in 0..<n { d[j] = trace[firstRow + j, column] }
            case .loadNext:
                let column = Int(ins.a)
                var row = firstRow + nextRowOffset
                if row >= trace.rowCount { row -= trace.rowCount }
                for j in 0..<n {
                    d[j] = trace[row, column]
                    row += 1
                    if row == trace.rowCount { row = 0 }
                }
            case .loadPeriodic:
                periodic[Int(ins.a)].withUnsafeBufferPointer { values in
                    let mask = values.count - 1
                    for j in 0..<n { d[j] = values[(firstRow + j) & mask] }
                }
            case .add: prover_fr_vec_add(Self.limbs(d), Self.limbs(a), Self.limbs(b), n)
            case .sub: prover_fr_vec_sub(Self.limbs(d), Self.limbs(a), Self.limbs(b), n)
            case .mul: prover_fr_vec_mul(Self.limbs(d), Self.limbs(a), Self.limbs(b), n)
            case .neg: for j in 0..<n { d[j] = Fr.zero - a[j] }
            case .pow:
                // Left-to-right square and multiply over the block, in the C kernels.
                let e = Int(ins.b)
                var bit = Int.bitWidth - 2 - e.leadingZeroBitCount  // below the top bit
                prover_fr_vec_mul(Self.limbs(d), Self.limbs(a), Self.limbs(a), n)
                if (e >> bit) & 1 == 1 { prover_fr_vec_mul(Self.limbs(d), Self.limbs(d), Self.limbs(a), n) }
                bit -= 1
                while bit >= 0 {
                    prover_fr_vec_mul(Self.limbs(d), Self.limbs(d), Self.limbs(d), n)
                    if (e >> bit) & 1 == 1 { prover_fr_vec_mul(Self.limbs(d), Self.limbs(d), Self.limbs(a), n) }
                    bit -= 1
                }
            case .accumulate:
                let c = coefficients[Int(ins.dst)]
                let src = scratch + Int(ins.a) * stride
                for j in 0..<n { out[j] = out[j] + c * src[j] }
            }
        }
    }

    @inline(__always)
    private static func limbs(_ p: UnsafeMutablePointer<Fr>) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: UInt64.self)
    }
}

extension AirNode {
    /// Constants and public inputs: the same on every row.
    package var isUniform: Bool {
        switch self {
        case .constant, .publicInput: true
        default: false
        }
    }
}

extension AirEvaluator {
    /// Field multiplications the compiled code spends per evaluated row: one per `mul`, the
    /// squarings and multiplies of each `pow` (square-and-multiply), and one per constraint for
    /// its random coefficient. This is the c of the STARK cost model (docs/performance.md).
    public var multiplicationsPerRow: Int {
        instructions.reduce(0) { total, ins in
            switch ins.op {
            case .mul, .accumulate: total + 1
            case .pow:
                total + (Int.bitWidth - 1 - Int(ins.b).leadingZeroBitCount) + Int(ins.b).nonzeroBitCount - 1
            default: total
            }
        }
    }
}
