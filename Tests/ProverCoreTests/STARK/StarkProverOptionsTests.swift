import ProverCore
import Synchronization
import Testing

/// Parameters, cancellation and the memory bound.
@Suite("STARK prover options")
struct StarkProverOptionsTests {
    @Test func cancellationStopsBetweenPhases() throws {
        let program = try FibonacciAir.program(length: 256)
        let (trace, inputs) = FibonacciAir.trace(length: 256)
        let polls = Atomic<Int>(0)
        // Cancel at the third poll: after "check" and "trace", during "composition".
        let options = StarkProver.Options(isCancelled: { polls.add(1, ordering: .relaxed).newValue >= 3 })
        let error = #expect(throws: StarkError.cancelled) {
            try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters(), options: options)
        }
        #expect(error?.detail == "after composition")
        #expect(polls.load(ordering: .relaxed) == 3)
    }

    @Test func memoryLimitRefusesBeforeStarting() throws {
        let program = try FibonacciAir.program(length: 1 << 12)
        let prover = try StarkProver(program: program, parameters: testParameters())
        #expect(prover.estimatedPeakBytes > 1 << 20)
        #expect(throws: StarkError.memoryLimit) {
            try StarkProver(program: program, parameters: testParameters(), options: .init(memoryLimitBytes: 1 << 20))
        }
    }

    @Test func blowupBelowTheConstraintDegreeIsRefused() throws {
        // Poseidon chain: composition degree 6 needs 5 segments, so blowup 4 is too small.
        let program = try PoseidonChainAir.program(messageCount: 1)
        #expect(throws: StarkError.blowupTooSmall) { try StarkProver(program: program, parameters: testParameters(blowup: 4)) }
        #expect(throws: StarkError.blowupTooSmall) {
            try StarkVerifier.verify(proof: [], program: program, publicInputs: [.zero, .zero], parameters: testParameters(blowup: 4))
        }
    }

    @Test(arguments: [
        StarkParameters(blowup: 3, queries: 8, grindingBits: 0, foldingFactor: 4, remainderSize: 8),
        StarkParameters(blowup: 512, queries: 8, grindingBits: 0, foldingFactor: 4, remainderSize: 8),
        StarkParameters(blowup: 8, queries: 0, grindingBits: 0, foldingFactor: 4, remainderSize: 8),
        StarkParameters(blowup: 8, queries: 8, grindingBits: 41, foldingFactor: 4, remainderSize: 8),
        StarkParameters(blowup: 8, queries: 8, grindingBits: 0, foldingFactor: 3, remainderSize: 8),
        StarkParameters(blowup: 8, queries: 8, grindingBits: 0, foldingFactor: 32, remainderSize: 8),
        StarkParameters(blowup: 8, queries: 8, grindingBits: 0, foldingFactor: 4, remainderSize: 6),
    ])
    func invalidParametersAreRefused(parameters: StarkParameters) throws {
        #expect(throws: StarkError.invalidParameters) { try parameters.validate() }
        #expect(throws: StarkError.invalidParameters) { try StarkProver(program: try FibonacciAir.program(length: 64), parameters: parameters) }
    }

    @Test func securityFormula() {
        #expect(StarkParameters.default.conjecturedSecurityBits == 102)
        #expect(!StarkParameters.default.isInsecure)
        #expect(StarkParameters.testInsecure.isInsecure)
        #expect(StarkParameters(blowup: 16, queries: 80, grindingBits: 20, foldingFactor: 4, remainderSize: 8).conjecturedSecurityBits == 128)
    }

    @Test func traceOfTheWrongShapeIsRefused() throws {
        let program = try FibonacciAir.program(length: 64)
        let (trace, inputs) = FibonacciAir.trace(length: 32)
        #expect(throws: StarkError.invalidStatement) {
            try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters())
        }
    }
}
