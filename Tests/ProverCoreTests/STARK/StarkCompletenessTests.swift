import ProverCore
import Testing

/// Honest traces prove and verify across shapes and parameters.
@Suite("STARK completeness")
struct StarkCompletenessTests {
    @Test(arguments: [3, 4, 6, 8, 10, 12])
    func fibonacciProvesAndVerifiesAtEveryLength(logLength: Int) throws {
        let program = try FibonacciAir.program(length: 1 << logLength)
        let (trace, inputs) = FibonacciAir.trace(length: 1 << logLength)
        let parameters = testParameters(blowup: 4, folding: 2, remainder: 4)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: parameters)
        try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs, parameters: parameters)
    }

    @Test(arguments: [(2, 2), (4, 2), (4, 4), (8, 8), (16, 16), (8, 4), (2, 16)])
    func blowupsAndFoldingFactorsVerify(blowup: Int, folding: Int) throws {
        let program = try MixingAir.program(width: 3, length: 64)
        let (trace, inputs) = MixingAir.trace(width: 3, length: 64)
        for remainder in [1, 8] {
            let parameters = testParameters(blowup: blowup, folding: folding, remainder: remainder)
            let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: parameters)
            try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs, parameters: parameters)
        }
    }

    @Test(arguments: [1, 2, 5, 8, 17])
    func widthsVerify(width: Int) throws {
        let program = try MixingAir.program(width: width, length: 32)
        let (trace, inputs) = MixingAir.trace(width: width, length: 32)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters())
        try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs, parameters: testParameters())
    }

    @Test func poseidonChainVerifiesAtTheDefaultProfile() throws {
        let messages = (1...3).map { Fr(UInt64($0)) }
        let program = try PoseidonChainAir.program(messageCount: messages.count)
        let (trace, inputs) = PoseidonChainAir.trace(seed: Fr(7), messages: messages)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs)
        #expect(proof.parameters == .default)
        try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs)
    }

    @Test func largestTestedTraceVerifies() throws {
        // 2^16 rows: the top of the range the issue asks for.
        let program = try FibonacciAir.program(length: 1 << 16)
        let (trace, inputs) = FibonacciAir.trace(length: 1 << 16)
        let parameters = testParameters(blowup: 2, folding: 8, remainder: 64)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: parameters)
        try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs, parameters: parameters)
    }

    @Test func proofBytesRoundTrip() throws {
        let program = try MixingAir.program(width: 2, length: 16)
        let (trace, inputs) = MixingAir.trace(width: 2, length: 16)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters())
        #expect(try StarkProof(bytes: proof.bytes) == proof)
    }

    @Test func provingIsDeterministic() throws {
        let program = try MixingAir.program(width: 2, length: 16)
        let (trace, inputs) = MixingAir.trace(width: 2, length: 16)
        let a = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters())
        let b = try StarkProver.prove(
            program: program, trace: trace, publicInputs: inputs, parameters: testParameters(), options: .init(threads: 1))
        #expect(a.bytes == b.bytes)
    }
}
