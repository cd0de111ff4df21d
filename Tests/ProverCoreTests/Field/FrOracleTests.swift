import ProverCore
import Testing

func integer(_ x: Fr) -> GMPInteger {
    let c = x.canonicalLimbs
    return GMPInteger(littleEndianLimbs: [c.0, c.1, c.2, c.3])
}

let oracle = try! GMPPrimeField(modulus: Fr.modulus)

/// Edge values: 0, 1, 2, r-1, r-2, (r-1)/2 and powers of two near the top.
let edgeValues: [Fr] = {
    var values: [Fr] = [.zero, .one, Fr(2), -Fr.one, -Fr(2), try! Fr(parsing: ((Fr.modulus - GMPInteger(1)).modulo(GMPInteger(1).shiftedLeft(255))).toString())]
    values.append(try! Fr(parsing: GMPInteger(1).shiftedLeft(253).toString()))
    values.append(try! Fr(parsing: (GMPInteger(1).shiftedLeft(253) - GMPInteger(1)).toString()))
    values.append(Fr(UInt64.max))
    return values
}()

@Suite("Fr against the GMP oracle")
struct FrOracleTests {
    @Test func tenThousandRandomPairsAgreeWithGMP() {
        var rng = SplitMix64(seed: 0xf1e1d)
        for _ in 0..<10_000 {
            let a = Fr.random(using: &rng), b = Fr.random(using: &rng)
            let ia = integer(a), ib = integer(b)
            #expect(integer(a * b) == oracle.multiply(ia, ib))
            #expect(integer(a + b) == oracle.add(ia, ib))
            #expect(integer(a - b) == oracle.subtract(ia, ib))
            #expect(integer(-a) == oracle.negate(ia))
            #expect(integer(a.squared()) == oracle.square(ia))
        }
    }

    @Test func edgeValuesAgreeWithGMP() {
        for a in edgeValues {
            for b in edgeValues {
                let ia = integer(a), ib = integer(b)
                #expect(integer(a * b) == oracle.multiply(ia, ib), "\(a) * \(b)")
                #expect(integer(a + b) == oracle.add(ia, ib), "\(a) + \(b)")
                #expect(integer(a - b) == oracle.subtract(ia, ib), "\(a) - \(b)")
            }
        }
        #expect((-Fr.one) + Fr.one == .zero)
        #expect(integer(-Fr.one) == Fr.modulus - GMPInteger(1))
    }

    @Test func everyBackendAgreesWithGMP() {
        var rng = SplitMix64(seed: 7)
        for backend in FieldBackend.allCases where backend.isSupported {
            FieldBackend.withBackend(backend) {
                for _ in 0..<2_000 {
                    let a = Fr.random(using: &rng), b = Fr.random(using: &rng)
                    #expect(integer(FieldKernels.multiply(a, b)) == oracle.multiply(integer(a), integer(b)), "backend \(backend)")
                }
            }
        }
    }

    @Test func powerAgreesWithGMP() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<50 {
            let a = Fr.random(using: &rng)
            let e = rng.next()
            #expect(integer(a.power(e)) == oracle.power(integer(a), GMPInteger(UInt(e))))
        }
        #expect(Fr(3).power(0) == .one)
        #expect(Fr.zero.power(0) == .one)
    }
}

@Suite("GMP baselines")
struct GMPBaselineTests {
    @Test func mpnMontgomeryEqualsFrMultiplication() {
        var rng = SplitMix64(seed: 21)
        for _ in 0..<2_000 {
            let a = Fr.random(using: &rng), b = Fr.random(using: &rng)
            #expect(GMPMontgomery.multiply(a, b) == a * b)
        }
        for a in edgeValues { for b in edgeValues { #expect(GMPMontgomery.multiply(a, b) == a * b) } }
    }

    @Test func mpzMulModEqualsOracle() {
        let multiplier = GMPModularMultiplier()
        let result = GMPInteger()
        var rng = SplitMix64(seed: 22)
        for _ in 0..<200 {
            let a = Fr.random(using: &rng), b = Fr.random(using: &rng)
            multiplier.multiply(integer(a), integer(b), into: result)
            #expect(result == integer(a * b))
        }
    }
}
