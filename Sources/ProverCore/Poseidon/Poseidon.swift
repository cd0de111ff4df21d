/// The Poseidon hash over BN254 with circomlib's parameters (t = 2...17).
///
/// `hash` matches circomlib's `poseidon(inputs)`: the state is [0, inputs…], permuted, and
/// the first element is the digest. Known answers (DESIGN.md §3):
/// poseidon([1,2]) = 0x115cc0f5…4417189a, poseidon([1,2,3,4]) = 0x299c867d…65250465.
public enum Poseidon {
    /// Hashes 1...16 field elements.
    public static func hash(_ inputs: [Fr]) throws(PoseidonError) -> Fr {
        guard (1...16).contains(inputs.count) else { throw PoseidonError.invalidInputCount(inputs.count) }
        let parameters = try PoseidonParameters.circom(width: inputs.count + 1)
        return withUnsafeTemporaryAllocation(of: Fr.self, capacity: parameters.width) { state in
            state[0] = .zero
            for (i, x) in inputs.enumerated() { state[i + 1] = x }
            permute(state, parameters: parameters)
            return state[0]
        }
    }

    /// Poseidon of two elements (t = 3), the chain model's node hash.
    public static func hash(_ a: Fr, _ b: Fr) -> Fr {
        try! hash([a, b])
    }

    /// Poseidon of three elements (t = 4).
    public static func hash(_ a: Fr, _ b: Fr, _ c: Fr) -> Fr {
        try! hash([a, b, c])
    }

    /// Applies the permutation of width `state.count` (2...17) in place.
    public static func permute(_ state: inout [Fr]) throws(PoseidonError) {
        let parameters = try PoseidonParameters.circom(width: state.count)
        state.withUnsafeMutableBufferPointer { permute($0, parameters: parameters) }
    }

    /// The permutation: per round, add constants, S-box (every element in full rounds, the
    /// first in partial rounds), then multiply by the MDS matrix. No allocation: the mixing
    /// scratch lives on the stack.
    public static func permute(_ state: UnsafeMutableBufferPointer<Fr>, parameters: PoseidonParameters) {
        let t = parameters.width
        precondition(state.count == t, "state width \(state.count) does not match parameters \(t)")
        let rc = parameters.roundConstants
        let mds = parameters.mds
        let half = parameters.fullRounds / 2
        let rounds = parameters.fullRounds + parameters.partialRounds
        withUnsafeTemporaryAllocation(of: Fr.self, capacity: t) { scratch in
            var k = 0
            for round in 0..<rounds {
                for i in 0..<t {
                    state[i] = state[i] + rc[k]
                    k += 1
                }
                if round < half || round >= half + parameters.partialRounds {
                    for i in 0..<t { state[i] = fifthPower(state[i]) }
                } else {
                    state[0] = fifthPower(state[0])
                }
                var row = 0
                for i in 0..<t {
                    var acc = mds[row] * state[0]
                    for j in 1..<t { acc = acc + mds[row + j] * state[j] }
                    scratch[i] = acc
                    row += t
                }
                for i in 0..<t { state[i] = scratch[i] }
            }
        }
    }

    @inline(__always)
    static func fifthPower(_ x: Fr) -> Fr {
        let x2 = x.squared()
        return x2.squared() * x
    }
}
