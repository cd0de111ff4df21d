import ProverCore

/// Runs one kernel a fixed number of times on fixed inputs, for instruction counting under
/// valgrind (scripts/bench-instructions). Everything is deterministic: the same binary, case
/// and iteration count always execute the same instructions, so the difference between two
/// iteration counts divided by their difference is the exact cost of one operation.
public enum KernelProbe {
    /// The probe-able cases.
    public static let cases = ["fr.mul", "fr.square", "fr.add", "fr.inverse", "gmp.mont_mul", "fr.batch_inverse.256", "ntt.2^12", "polymul.2^10", "poseidon.t3", "blake3.hash_many_64B.1024", "merkle.2^10x8", "stark.prove.poseidon_chain.2^7", "stark.verify.poseidon_chain.2^7"]

    /// Runs `name` `iterations` times; returns false for an unknown case.
    public static func run(_ name: String, iterations: Int) -> Bool {
        var rng = SplitMix64(seed: 0x5eed)
        let y = Fr.random(using: &rng)
        var x = Fr.random(using: &rng)
        switch name {
        case "fr.mul":
            for _ in 0..<iterations { x = x * y }
        case "fr.square":
            for _ in 0..<iterations { x = x.squared() }
        case "fr.add":
            for _ in 0..<iterations { x = x + y }
        case "fr.inverse":
            for _ in 0..<iterations { x = (x.inverse ?? .one) + y }
        case "gmp.mont_mul":
            for _ in 0..<iterations { x = GMPMontgomery.multiply(x, y) }
        case "fr.batch_inverse.256":
            var values = (0..<256).map { _ in Fr.random(using: &rng) }
            for _ in 0..<iterations { values.withUnsafeMutableBufferPointer { Fr.batchInvert($0) } }
            x = values[0]
        case "ntt.2^12":
            var values = (0..<4096).map { _ in Fr.random(using: &rng) }
            _ = TwiddleTablesWarmUp.once(log: 12)
            for _ in 0..<iterations { try! NTT.forward(&values, threads: 1) }
            x = values[0]
        case "polymul.2^10":
            let a = Polynomial(coefficients: (0..<1024).map { _ in Fr.random(using: &rng) })
            let b = Polynomial(coefficients: (0..<1024).map { _ in Fr.random(using: &rng) })
            _ = TwiddleTablesWarmUp.once(log: 11)
            for _ in 0..<iterations { x = try! a.multiplied(by: b, threads: 1).coefficients[0] }
        case "poseidon.t3":
            let parameters = try! PoseidonParameters.circom(width: 3)
            var state = [x, y, x + y]
            state.withUnsafeMutableBufferPointer { s in
                for _ in 0..<iterations { Poseidon.permute(s, parameters: parameters) }
            }
            x = state[0]
        case "blake3.hash_many_64B.1024":
            let messages = (0..<(64 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            var digests = [UInt8](repeating: 0, count: 32 * 1024)
            for _ in 0..<iterations {
                messages.withUnsafeBytes { i in digests.withUnsafeMutableBytes { o in try! Blake3.hashMany64(i, into: o) } }
            }
            x = Fr(UInt64(digests[0]))
        case "merkle.2^10x8":
            let rows = (0..<(1 << 10) * 8).map { _ in Fr.random(using: &rng) }
            for _ in 0..<iterations { x = Fr(UInt64(try! MerkleTree(rows: rows, rowWidth: 8).root.bytes[0])) }
        case "stark.prove.poseidon_chain.2^7", "stark.verify.poseidon_chain.2^7":
            x = runStark(verify: name.contains("verify"), iterations: iterations, x: x, y: y)
        default:
            return false
        }
        blackHole(x)
        return true
    }
}

/// Builds the twiddle tables before the counted loop, so a run of 0 iterations pays for them too.
enum TwiddleTablesWarmUp {
    static func once(log: Int) -> Bool {
        var values = [Fr](repeating: .one, count: 1 << log)
        try! NTT.forward(&values, threads: 1)
        try! NTT.inverse(&values, threads: 1)
        return true
    }
}

extension KernelProbe {
    /// One Poseidon hash (128 rows), fast parameters, one thread: deterministic work. Kept out
    /// of `run` so its code does not change how the small kernels' loops are compiled.
    @inline(never)
    private static func runStark(verify: Bool, iterations: Int, x: Fr, y: Fr) -> Fr {
        let program = try! PoseidonChainAir.program(messageCount: 1)
        let (trace, inputs) = PoseidonChainAir.trace(seed: y, messages: [x])
        let prover = try! StarkProver(program: program, parameters: .testInsecure, options: .init(threads: 1))
        var proof = try! prover.prove(trace: trace, publicInputs: inputs).bytes
        if verify {
            for _ in 0..<iterations {
                try! StarkVerifier.verify(proof: proof, program: program, publicInputs: inputs, parameters: .testInsecure)
            }
        } else {
            for _ in 0..<iterations { proof = try! prover.prove(trace: trace, publicInputs: inputs).bytes }
        }
        return Fr(UInt64(proof[proof.count / 2]))
    }
}
