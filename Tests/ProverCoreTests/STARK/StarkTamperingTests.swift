import ProverCore
import Testing

/// Corrupted proof bytes are rejected with a typed error, never a crash.
@Suite("STARK tampering")
struct StarkTamperingTests {
    static func sample() throws -> (bytes: [UInt8], program: AirProgram, inputs: [Fr]) {
        let program = try MixingAir.program(width: 2, length: 64)
        let (trace, inputs) = MixingAir.trace(width: 2, length: 64)
        let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs, parameters: testParameters())
        return (proof.bytes, program, inputs)
    }

    @Test func flippingAnyByteFailsVerification() throws {
        let (bytes, program, inputs) = try Self.sample()
        try StarkVerifier.verify(proof: bytes, program: program, publicInputs: inputs, parameters: testParameters())
        var codes = Set<String>()
        // Every byte of the proof, one bit each (rotating which bit).
        for i in bytes.indices {
            var tampered = bytes
            tampered[i] ^= UInt8(1) << UInt8(i % 8)
            do {
                try StarkVerifier.verify(proof: tampered, program: program, publicInputs: inputs, parameters: testParameters())
                Issue.record("flipping bit \(i % 8) of byte \(i) of \(bytes.count) was accepted")
            } catch {
                codes.insert(error.code)
            }
        }
        // The flips reach the decoder, the shape checks, Merkle, OOD, FRI and grinding checks.
        #expect(codes.isSuperset(of: ["malformed_proof", "commitment_mismatch", "parameter_mismatch"]), "\(codes.sorted())")
    }

    @Test func truncatedAndExtendedProofsAreRejected() throws {
        let (bytes, program, inputs) = try Self.sample()
        for cut in [0, 1, 4, 8, 27, bytes.count / 2, bytes.count - 33, bytes.count - 1] {
            #expect(throws: StarkError.self) {
                try StarkVerifier.verify(proof: bytes.prefix(cut), program: program, publicInputs: inputs, parameters: testParameters())
            }
        }
        for extra in [[UInt8(0)], [UInt8](repeating: 0xFF, count: 32)] {
            #expect(throws: StarkError.malformedProof) {
                try StarkVerifier.verify(proof: bytes + extra, program: program, publicInputs: inputs, parameters: testParameters())
            }
        }
    }

    @Test func randomBytesAreRejected() throws {
        let (bytes, program, inputs) = try Self.sample()
        var rng = SplitMix64(seed: 99)
        for length in [0, 3, 64, bytes.count, 100_000] {
            var random = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(throws: StarkError.self) {
                try StarkVerifier.verify(proof: random, program: program, publicInputs: inputs, parameters: testParameters())
            }
            // A valid header followed by noise.
            if length > 24 {
                random.replaceSubrange(0..<24, with: bytes[0..<24])
                #expect(throws: StarkError.self) {
                    try StarkVerifier.verify(proof: random, program: program, publicInputs: inputs, parameters: testParameters())
                }
            }
        }
    }

    @Test func hugeCountsAreRefusedBeforeAllocating() throws {
        let (bytes, _, _) = try Self.sample()
        // The first count after the two roots: the out-of-domain value count (offset 4+4+20+64).
        var tampered = bytes
        tampered.replaceSubrange(92..<96, with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: StarkError.malformedProof) { try StarkProof(bytes: tampered) }
        #expect(throws: StarkError.unsupportedVersion) { try StarkProof(bytes: Array("STK2".utf8) + bytes.dropFirst(4)) }
    }
}
