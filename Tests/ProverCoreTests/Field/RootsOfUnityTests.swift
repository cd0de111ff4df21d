import ProverCore
import Testing

@Suite("Roots of unity")
struct RootsOfUnityTests {
    @Test func twoAdicRootHasOrderExactly2To28() {
        var x = Fr.twoAdicRootOfUnity
        for _ in 0..<27 { x = x.squared() }
        #expect(x == -Fr.one)  // order 2^28, not 2^27
        #expect(x.squared() == .one)
        // (r - 1) = 2^28 · odd, and the constant is 5^odd computed independently by GMP.
        let oracle = try! GMPPrimeField(modulus: Fr.modulus)
        let odd = try! GMPInteger(parsing: "81540058820840996586704275553141814055101440848469862132140264610111")
        #expect(odd * GMPInteger(1).shiftedLeft(28) == Fr.modulus - GMPInteger(1))
        #expect(integer(Fr.twoAdicRootOfUnity) == oracle.power(GMPInteger(5), odd))
    }

    @Test(arguments: [0, 1, 2, 10, 16, 28])
    func rootOfOrder2ToKIsPrimitive(k: Int) throws {
        let w = try Fr.rootOfUnity(logOrder: k)
        var x = w
        for _ in 0..<k { x = x.squared() }
        #expect(x == .one)
        if k > 0 {
            var y = w
            for _ in 0..<(k - 1) { y = y.squared() }
            #expect(y == -Fr.one)
        }
    }

    @Test func ordersBeyondTwoAdicityAreRejected() {
        #expect(throws: FieldError.unsupportedSize) { try Fr.rootOfUnity(logOrder: 29) }
        #expect(throws: FieldError.unsupportedSize) { try Fr.rootOfUnity(logOrder: -1) }
    }
}
