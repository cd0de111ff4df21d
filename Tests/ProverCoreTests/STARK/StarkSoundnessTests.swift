import ProverCore
import Testing

/// Bad statements are refused by the prover; what a cheating prover sends is rejected by the
/// verifier.
@Suite("STARK soundness")
struct StarkSoundnessTests {
    static let width = 3, length = 32

    /// Breaks constraint `column` between `row` and `row + 1` by changing the next row's cell.
    static func brokenTrace(column: Int, row: Int) -> (AirTrace, [Fr]) {
        var (trace, inputs) = MixingAir.trace(width: width, length: length)
        trace[row + 1, column] += .one
        // Keep the boundary on the last row satisfied so only the transition is broken.
        inputs = [trace[length - 1, 0]]
        return (trace, inputs)
    }

    @Test(arguments: [0, 1, 2], [0, 15, 30])
    func proverRefusesATraceBreakingOneConstraint(column: Int, row: Int) throws {
        let program = try MixingAir.program(width: Self.width, length: Self.length)
        let (trace, inputs) = Self.brokenTrace(column: column, row: row)
        #expect(throws: StarkError.invalidStatement) {
            try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters())
        }
    }

    @Test(arguments: [0, 1, 2], [0, 15, 30])
    func verifierRejectsACheatingProofOfABrokenTrace(column: Int, row: Int) throws {
        let program = try MixingAir.program(width: Self.width, length: Self.length)
        let (trace, inputs) = Self.brokenTrace(column: column, row: row)
        var options = StarkProver.Options()
        options.skipsStatementChecks = true
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters(), options: options)
        #expect(throws: StarkError.oodMismatch) {
            try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs, parameters: testParameters())
        }
    }

    @Test func verifierRejectsACheatingProofOfABrokenBoundary() throws {
        let program = try MixingAir.program(width: Self.width, length: Self.length)
        let (trace, inputs) = MixingAir.trace(width: Self.width, length: Self.length)
        var options = StarkProver.Options()
        options.skipsStatementChecks = true
        let wrong = [inputs[0] + .one]
        #expect(throws: StarkError.invalidStatement) {
            try StarkProver.prove(program: program, trace: trace, publicInputs: wrong, parameters: testParameters())
        }
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: wrong, parameters: testParameters(), options: options)
        #expect(throws: StarkError.oodMismatch) {
            try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: wrong, parameters: testParameters())
        }
    }

    @Test func wrongPublicInputFailsVerification() throws {
        let program = try FibonacciAir.program(length: 64)
        let (trace, inputs) = FibonacciAir.trace(length: 64)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters())
        for i in inputs.indices {
            var wrong = inputs
            wrong[i] += .one
            #expect(throws: StarkError.self) {
                try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: wrong, parameters: testParameters())
            }
        }
        #expect(throws: StarkError.invalidStatement) {
            try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: [], parameters: testParameters())
        }
    }

    @Test func proofForOneAirFailsAgainstAnother() throws {
        let fib64 = try FibonacciAir.program(length: 64)
        let (trace, inputs) = FibonacciAir.trace(length: 64)
        let proof = try StarkProver.prove(program: fib64, trace: trace, publicInputs: inputs, parameters: testParameters())
        let others = [
            try FibonacciAir.program(length: 128),
            try MixingAir.program(width: 2, length: 64),
            try PoseidonChainAir.program(messageCount: 1),
        ]
        for other in others {
            let otherInputs = [Fr](repeating: .one, count: other.publicInputCount)
            #expect(throws: StarkError.self) {
                try StarkVerifier.verify(proof: proof.bytes, program: other, publicInputs: otherInputs, parameters: testParameters())
            }
        }
        // Same shape, one constant changed: the AIR digest in the transcript differs.
        let b = AirBuilder(traceWidth: 2, traceLength: 64, publicInputCount: 3)
        b.assertTransition(b.next(0) - b.current(1), degree: 1)
        b.assertTransition(b.next(1) - (b.current(0) + b.current(1)), degree: 1)
        b.assertBoundary(column: 0, row: 0, equalsPublicInput: 0)
        b.assertBoundary(column: 1, row: 0, equalsPublicInput: 1)
        b.assertBoundary(column: 1, row: 63, equalsPublicInput: 2)
        let twin = try b.build()
        if twin != fib64 {
            #expect(throws: StarkError.self) {
                try StarkVerifier.verify(proof: proof.bytes, program: twin, publicInputs: inputs, parameters: testParameters())
            }
        }
    }

    @Test func proofIsBoundToItsBindingBytes() throws {
        let program = try FibonacciAir.program(length: 64)
        let (trace, inputs) = FibonacciAir.trace(length: 64)
        var options = StarkProver.Options()
        options.binding = Array("type\u{0}{\"index\":1}".utf8)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters(), options: options)
        try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs, parameters: testParameters(), binding: options.binding)
        for other in [[], Array("type\u{0}{\"index\":2}".utf8)] {
            #expect(throws: StarkError.self) {
                try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs, parameters: testParameters(), binding: other)
            }
        }
    }

    @Test func proofWithOtherParametersIsRejected() throws {
        let program = try FibonacciAir.program(length: 64)
        let (trace, inputs) = FibonacciAir.trace(length: 64)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters())
        for other in [testParameters(blowup: 2), testParameters(folding: 2), testParameters(queries: 7), testParameters(remainder: 4), .default] {
            #expect(throws: StarkError.parameterMismatch) {
                try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs, parameters: other)
            }
        }
    }
}
