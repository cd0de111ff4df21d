import ProverCore
import Testing

@Suite("Air reference programs")
struct ReferenceAirTests {
    @Test func honestFibonacciTraceSatisfiesTheAir() throws {
        let program = try FibonacciAir.program(length: 64)
        let (trace, publicInputs) = FibonacciAir.trace(length: 64, a: Fr(1), b: Fr(1))
        #expect(trace[10, 1] == Fr(144))  // a₀ = b₀ = 1: b_i = F(i + 2)
        try AirEvaluator(program).checkTrace(trace, publicInputs: publicInputs)
    }

    @Test func honestPoseidonChainAgreesWithPoseidonHash() throws {
        let messages = (0..<3).map { Fr(UInt64($0) * 1000 + 17) }
        let seed = Fr(42)
        let program = try PoseidonChainAir.program(messageCount: messages.count)
        let (trace, publicInputs) = PoseidonChainAir.trace(seed: seed, messages: messages)
        #expect(program.traceLength == 512 && trace.length == 512)
        var h = seed
        for (k, m) in messages.enumerated() {
            var state = [Fr.zero, h, m]
            #expect(trace.row(k * 128) == state)
            try Poseidon.permute(&state)
            #expect(trace.row(k * 128 + 65) == state, "hash \(k)")
            h = Poseidon.hash(h, m)
            #expect(trace[k * 128 + 65, 0] == h)
        }
        #expect(publicInputs == [seed, h])
        try AirEvaluator(program).checkTrace(trace, publicInputs: publicInputs)
        #expect(program.maxCompositionDegree == 6)
        #expect(program.constraints.allSatisfy { $0.degree == 5 })
    }

    @Test func changedCellFailsNamingConstraintAndRow() throws {
        let program = try PoseidonChainAir.program(messageCount: 2)
        let evaluator = AirEvaluator(program)
        let (honest, publicInputs) = PoseidonChainAir.trace(seed: Fr(3), messages: [Fr(4), Fr(5)])
        var bad = honest
        bad[10, 2] += .one  // row 9 -> 10 applies round 9 to column 2
        do {
            try evaluator.checkTrace(bad, publicInputs: publicInputs)
            Issue.record("tampered trace accepted")
        } catch {
            #expect(error == .transitionViolated)
            #expect(error.detail == "constraint 2 is nonzero on row 9")
        }
        // Fibonacci: changing a at row 5 breaks a' = b on row 4 (constraint 0).
        let fib = try FibonacciAir.program(length: 16)
        var (t, pi) = FibonacciAir.trace(length: 16)
        t[5, 0] += .one
        do {
            try AirEvaluator(fib).checkTrace(t, publicInputs: pi)
            Issue.record("tampered trace accepted")
        } catch {
            #expect(error == .transitionViolated)
            #expect(error.detail == "constraint 0 is nonzero on row 4")
        }
        // The message of the second hash is free witness, but the chained value is not.
        var chained = honest
        chained[128, 1] += .one
        #expect(throws: AirError.transitionViolated) { try evaluator.checkTrace(chained, publicInputs: publicInputs) }
        // The last row has no successor: the wrap-around transition (last row -> row 0) is
        // violated by the honest trace (row 0 holds the seed, not the last hash), yet accepted.
        let lastRow = honest.length - 1
        let wrap = evaluator.evaluateTransitions(
            current: honest.row(lastRow), next: honest.row(0), periodic: evaluator.periodicRow(lastRow), publicInputs: publicInputs)
        #expect(!wrap[1].isZero)
        try evaluator.checkTrace(honest, publicInputs: publicInputs)
    }

    @Test func boundaryShapeAndPublicInputFailures() throws {
        let program = try PoseidonChainAir.program(messageCount: 2)
        let evaluator = AirEvaluator(program)
        let (trace, publicInputs) = PoseidonChainAir.trace(seed: Fr(3), messages: [Fr(4), Fr(5)])
        #expect(throws: AirError.boundaryViolated) { try evaluator.checkTrace(trace, publicInputs: [Fr(3), Fr(6)]) }
        #expect(throws: AirError.boundaryViolated) { try evaluator.checkTrace(trace, publicInputs: [Fr(4), publicInputs[1]]) }
        #expect(throws: AirError.publicInputCount) { try evaluator.checkTrace(trace, publicInputs: [Fr(3)]) }
        var narrow = trace
        narrow.columns.removeLast()
        #expect(throws: AirError.traceShape) { try evaluator.checkTrace(narrow, publicInputs: publicInputs) }
        let fib = try FibonacciAir.program(length: 16)
        let (t, pi) = FibonacciAir.trace(length: 16)
        #expect(throws: AirError.boundaryViolated) { try AirEvaluator(fib).checkTrace(t, publicInputs: [pi[0], pi[1], pi[2] + .one]) }
    }
}
