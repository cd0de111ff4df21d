import ProverCore
import Testing

@Suite("Air evaluator")
struct AirEvaluatorTests {
    /// Compiled block evaluation of a random program on a random trace equals the recursive
    /// oracle, for column-major and row-major buffers, every row including the wrap-around.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func compiledMatchesNaiveRecursiveEvaluation(seed: UInt64) throws {
        let program = try randomProgram(seed: seed)
        let evaluator = AirEvaluator(program)
        let n = program.traceLength, w = program.traceWidth
        let trace = randomTrace(width: w, length: n, seed: seed &+ 100)
        var rng = SplitMix64(seed: seed &+ 200)
        let publicInputs = (0..<2).map { _ in Fr.random(using: &rng) }
        let coefficients = program.constraints.map { _ in Fr.random(using: &rng) }
        let nextOffset = 3
        var expected: [Fr] = []
        for row in 0..<n {
            var memo: [Int: Fr] = [:]
            let cur = trace.row(row), nxt = trace.row((row + nextOffset) % n)
            let periodic = program.periodicColumns.map { $0[row % $0.count] }
            var sum = Fr.zero
            for (k, c) in program.constraints.enumerated() {
                sum += coefficients[k] * naiveValue(program, c.root, current: cur, next: nxt, periodic: periodic, publicInputs: publicInputs, memo: &memo)
            }
            expected.append(sum)
            // The per-row interpreter agrees with the oracle constraint by constraint.
            let each = evaluator.evaluateTransitions(current: cur, next: nxt, periodic: periodic, publicInputs: publicInputs)
            var memo2: [Int: Fr] = [:]
            #expect(each == program.constraints.map {
                naiveValue(program, $0.root, current: cur, next: nxt, periodic: periodic, publicInputs: publicInputs, memo: &memo2)
            })
        }
        let columnMajor = trace.columns.flatMap { $0 }
        let rowMajor = (0..<n).flatMap { trace.row($0) }
        for (flat, isRowMajor) in [(columnMajor, false), (rowMajor, true)] {
            // An odd sub-range exercises partial blocks.
            for rows in [0..<n, 5..<(n - 2)] {
                var out = [Fr](repeating: Fr(99), count: rows.count)
                flat.withUnsafeBufferPointer { p in
                    let view = isRowMajor
                        ? AirTraceView.rowMajor(p.baseAddress!, rowCount: n, width: w)
                        : AirTraceView.columnMajor(p.baseAddress!, rowCount: n, width: w)
                    out.withUnsafeMutableBufferPointer { o in
                        evaluator.evaluate(
                            rows: rows, trace: view, nextRowOffset: nextOffset, periodic: program.periodicColumns,
                            publicInputs: publicInputs, coefficients: coefficients, into: o, threads: 1)
                    }
                }
                let mismatch = zip(out, expected[rows]).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                #expect(mismatch == nil, "rowMajor \(isRowMajor) rows \(rows): first mismatch at row \(rows.lowerBound + (mismatch ?? 0))")
            }
        }
    }

    @Test func compilerReusesRegisters() throws {
        let program = try PoseidonChainAir.program(messageCount: 1)
        let evaluator = AirEvaluator(program)
        #expect(evaluator.registerCount < program.nodes.count)
    }

    @Test func multiThreadedEqualsSingleThreaded() throws {
        let program = try PoseidonChainAir.program(messageCount: 64)  // 8192 rows
        let evaluator = AirEvaluator(program)
        let n = program.traceLength
        let trace = randomTrace(width: 3, length: n, seed: 5)
        let publicInputs = [Fr(1), Fr(2)]
        let coefficients = (0..<3).map { Fr(UInt64($0) + 11) }
        var results: [[Fr]] = []
        for threads in [1, 2, 3, 8] {
            var out = [Fr](repeating: .zero, count: n)
            trace.withView { view in
                out.withUnsafeMutableBufferPointer { o in
                    evaluator.evaluate(
                        rows: 0..<n, trace: view, nextRowOffset: 1, periodic: program.periodicColumns,
                        publicInputs: publicInputs, coefficients: coefficients, into: o, threads: threads)
                }
            }
            results.append(out)
        }
        #expect(results[0].contains { !$0.isZero })
        for r in results.dropFirst() { #expect(r == results[0]) }
    }

    /// The periodic columns over an LDE equal the LDE of the periodic column written out over
    /// the whole trace, and the compiled evaluator on the LDE of an honest trace equals the
    /// naive evaluation at those points.
    @Test func periodicEvaluationsMatchFullLengthExtension() throws {
        let program = try PoseidonChainAir.program(messageCount: 2)
        let n = program.traceLength, blowup = 4
        let lde = try program.periodicEvaluations(blowup: blowup)
        for (p, cycle) in program.periodicColumns.enumerated() where p < 6 {
            let full = (0..<n).map { cycle[$0 % cycle.count] }
            let extended = try LowDegreeExtension.extend(full, blowup: blowup)
            #expect(lde[p].count == cycle.count * blowup)
            #expect((0..<(n * blowup)).allSatisfy { extended[$0] == lde[p][$0 % lde[p].count] }, "periodic column \(p)")
        }
        // Short cycles, including a constant column (cycle length 1).
        let b = AirBuilder(traceWidth: 1, traceLength: 16)
        let cycles: [[Fr]] = [[Fr(7)], [Fr(1), Fr(9)], (0..<8).map { Fr(UInt64($0 * $0 + 3)) }]
        let e = cycles.map { b.periodic($0) }.reduce(b.current(0)) { $0 * $1 }
        b.assertTransition(e, degree: 1)
        let small = try b.build()
        let smallLDE = try small.periodicEvaluations(blowup: 2, shift: Fr(3))
        for (p, cycle) in cycles.enumerated() {
            let full = (0..<16).map { cycle[$0 % cycle.count] }
            let extended = try LowDegreeExtension.extend(full, blowup: 2, shift: Fr(3))
            #expect(smallLDE[p].count == cycle.count * 2)
            #expect((0..<32).allSatisfy { extended[$0] == smallLDE[p][$0 % smallLDE[p].count] }, "cycle length \(cycle.count)")
        }
    }
}
