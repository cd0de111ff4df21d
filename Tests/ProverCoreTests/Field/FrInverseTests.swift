import ProverCore
import Testing

@Suite("Fr inversion")
struct FrInverseTests {
    @Test func inverseTimesValueIsOne() throws {
        var rng = SplitMix64(seed: 99)
        for _ in 0..<2_000 {
            let x = Fr.random(using: &rng)
            guard !x.isZero else { continue }
            let inv = try #require(x.inverse)
            #expect(inv * x == .one)
            #expect(inv == x.inverseByExponentiation)
        }
        for x in edgeValues where !x.isZero {
            #expect(try #require(x.inverse) * x == .one, "\(x)")
        }
    }

    @Test func zeroHasNoInverse() {
        #expect(Fr.zero.inverse == nil)
        #expect(Fr.zero.inverseByExponentiation == nil)
    }

    @Test func batchInverseMatchesSingleInversesAndKeepsZeros() {
        var rng = SplitMix64(seed: 5)
        var values = (0..<257).map { _ in Fr.random(using: &rng) }
        values[0] = .zero
        values[100] = .zero
        values[256] = .zero
        let inverted = Fr.batchInverse(values)
        for (x, y) in zip(values, inverted) {
            if x.isZero { #expect(y.isZero) } else { #expect(x * y == .one) }
        }
        #expect(Fr.batchInverse([]) == [])
        #expect(Fr.batchInverse([.zero, .zero]) == [.zero, .zero])
    }
}
