import ProverCore
import Testing

@Suite("Poseidon (circomlib parameters)")
struct PoseidonTests {
    @Test func matchesCircomlibKnownAnswers() throws {
        // DESIGN.md §3, from circomlib's test vectors.
        #expect(try Poseidon.hash([Fr(1), Fr(2)]) == Fr(parsing: "0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a"))
        #expect(try Poseidon.hash([Fr(1), Fr(2), Fr(3), Fr(4)]) == Fr(parsing: "0x299c867db6c1fdd79dcefa40e4510b9837e60ebb1ce0663dbaa525df65250465"))
        #expect(Poseidon.hash(Fr(1), Fr(2)) == (try Poseidon.hash([Fr(1), Fr(2)])))
    }

    @Test func everyWidthHasConsistentParameters() throws {
        let partial = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68]
        for t in 2...17 {
            let p = try PoseidonParameters.circom(width: t)
            #expect(p.width == t)
            #expect(p.partialRounds == partial[t - 2])
            #expect(p.roundConstants.count == t * (8 + p.partialRounds))
            #expect(p.mds.count == t * t)
            // An MDS matrix is invertible; a zero entry would already be suspicious.
            #expect(p.mds.allSatisfy { !$0.isZero })
        }
    }

    @Test func hashesEveryInputCountDeterministicallyAndDistinctly() throws {
        var seen = Set<Fr>()
        for n in 1...16 {
            let inputs = (1...n).map { Fr(UInt64($0)) }
            let h = try Poseidon.hash(inputs)
            #expect(try Poseidon.hash(inputs) == h)
            #expect(seen.insert(h).inserted, "width \(n + 1) collides with another width")
            var changed = inputs
            changed[n - 1] += .one
            #expect(try Poseidon.hash(changed) != h)
        }
    }

    @Test func permutationIsTheHashCore() throws {
        var state = [Fr.zero, Fr(1), Fr(2)]
        try Poseidon.permute(&state)
        #expect(state[0] == Poseidon.hash(Fr(1), Fr(2)))
    }

    @Test(arguments: [0, 17, 40])
    func rejectsBadInputCounts(count: Int) {
        #expect(throws: PoseidonError.invalidInputCount) { try Poseidon.hash([Fr](repeating: .one, count: count)) }
    }

    @Test(arguments: [0, 1, 18])
    func rejectsBadWidths(width: Int) {
        var state = [Fr](repeating: .one, count: width)
        #expect(throws: PoseidonError.invalidWidth) { try Poseidon.permute(&state) }
        #expect(throws: PoseidonError.invalidWidth) { try PoseidonParameters.circom(width: width) }
    }
}
