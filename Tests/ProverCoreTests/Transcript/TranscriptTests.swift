import ProverCore
import Testing

@Suite("Fiat–Shamir transcript")
struct TranscriptTests {
    func sample(domain: String = "test", _ steps: (inout Transcript) -> Void) -> Fr {
        var t = Transcript(domain: domain)
        steps(&t)
        return t.challengeElement("alpha")
    }

    @Test func sameInputsGiveSameChallenges() {
        let a = sample { $0.absorb("x", elements: [Fr(1), Fr(2)]) }
        let b = sample { $0.absorb("x", elements: [Fr(1), Fr(2)]) }
        #expect(a == b)
    }

    @Test func domainLabelsFramingAndOrderSeparate() {
        let base = sample { $0.absorb("x", bytes: [1, 2, 3]) }
        #expect(sample(domain: "other") { $0.absorb("x", bytes: [1, 2, 3]) } != base)
        #expect(sample { $0.absorb("y", bytes: [1, 2, 3]) } != base)
        #expect(sample { $0.absorb("x", bytes: [1, 2]); $0.absorb("x", bytes: [3]) } != base)
        #expect(sample { $0.absorb("x", bytes: [1, 2, 3, 0]) } != base)
        #expect(sample { $0.absorb("x", bytes: [1, 2, 3]); $0.absorb("z", bytes: []) } != base)
        // Label/payload boundary: ("ab", "c") vs ("a", "bc").
        let ab = sample { $0.absorb("ab", bytes: Array("c".utf8)) }
        let a = sample { $0.absorb("a", bytes: Array("bc".utf8)) }
        #expect(ab != a)
    }

    @Test func successiveChallengesDifferAndElementsAreCanonical() {
        var t = Transcript(domain: "test")
        let first = t.challengeElement("alpha")
        let second = t.challengeElement("alpha")
        #expect(first != second)
        #expect(Fr.isBelowModulusForTesting(first))
    }

    @Test func queryIndicesAreDistinctInRangeAndDeterministic() {
        var t1 = Transcript(domain: "q"), t2 = Transcript(domain: "q")
        let a = t1.challengeIndices("queries", count: 60, domainSize: 64)
        let b = t2.challengeIndices("queries", count: 60, domainSize: 64)
        #expect(a == b)
        #expect(Set(a).count == 60)
        #expect(a.allSatisfy { (0..<64).contains($0) })
        var t3 = Transcript(domain: "q")
        #expect(t3.challengeIndices("queries", count: 64, domainSize: 64).sorted() == Array(0..<64))
    }

    @Test func grindingFindsAndChecksNonces() {
        var prover = Transcript(domain: "pow")
        prover.absorb("commitment", bytes: [7])
        var verifier = prover
        let nonce = prover.grind(bits: 10)
        // Find a nonce that fails (most do at 10 bits) and check it is refused without effect.
        var wrongNonce = nonce &+ 1
        while true {
            var probe = verifier
            if !probe.verifyGrinding(nonce: wrongNonce, bits: 10) { break }
            wrongNonce &+= 1
        }
        var wrong = verifier
        let refused = !wrong.verifyGrinding(nonce: wrongNonce, bits: 10)
        #expect(refused)
        #expect(wrong.state == verifier.state, "a rejected nonce leaves the transcript unchanged")
        let accepted = verifier.verifyGrinding(nonce: nonce, bits: 10)
        #expect(accepted)
        #expect(verifier.state == prover.state)
        let afterProver = prover.challengeElement("after"), afterVerifier = verifier.challengeElement("after")
        #expect(afterProver == afterVerifier)
        var any = Transcript(domain: "pow")
        let zeroBits = any.verifyGrinding(nonce: 12345, bits: 0)
        let tooMany = any.verifyGrinding(nonce: 0, bits: 65)
        #expect(zeroBits && !tooMany)
    }
}

extension Fr {
    static func isBelowModulusForTesting(_ x: Fr) -> Bool {
        let c = x.canonicalLimbs
        return GMPInteger(littleEndianLimbs: [c.0, c.1, c.2, c.3]) < Fr.modulus
    }
}
