import ProverCore
import Testing

func randomVector(_ n: Int, seed: UInt64) -> [Fr] {
    var rng = SplitMix64(seed: seed)
    return (0..<n).map { _ in Fr.random(using: &rng) }
}

@Suite("NTT")
struct NTTTests {
    @Test(arguments: [1, 2, 4, 8, 64, 1024, 1 << 13, 1 << 15])
    func roundTripRestoresInput(n: Int) throws {
        let original = randomVector(n, seed: UInt64(n))
        for threads in [1, 2, 4] {
            var values = original
            try NTT.forward(&values, threads: threads)
            try NTT.inverse(&values, threads: threads)
            #expect(values == original, "n=\(n) threads=\(threads)")
        }
    }

    @Test(arguments: [2, 8, 256, 4096, 1 << 14])
    func forwardEqualsDirectEvaluationOnTheSubgroup(n: Int) throws {
        let coefficients = randomVector(n, seed: 42)
        let polynomial = Polynomial(coefficients: coefficients)
        let log = n.trailingZeroBitCount
        let omega = try Fr.rootOfUnity(logOrder: log)
        for threads in [1, 2] {
            var values = coefficients
            try NTT.forward(&values, threads: threads)
            // Spot-check indices spread over the domain (all of them for small n).
            for i in stride(from: 0, to: n, by: max(1, n / 64)) {
                #expect(values[i] == polynomial.evaluate(at: omega.power(UInt64(i))), "i=\(i) threads=\(threads)")
            }
        }
    }

    @Test func parallelAndSingleThreadedTransformsAgree() throws {
        let original = randomVector(1 << 16, seed: 9)
        var one = original, two = original, many = original
        try NTT.forward(&one, threads: 1)
        try NTT.forward(&two, threads: 2)
        try NTT.forward(&many, threads: 8)
        #expect(one == two)
        #expect(one == many)
    }

    @Test func cosetTransformsEvaluateOnTheShiftedDomainAndRoundTrip() throws {
        let n = 512
        let coefficients = randomVector(n, seed: 1)
        let shift = Fr.multiplicativeGenerator
        var values = coefficients
        try NTT.cosetForward(&values, shift: shift)
        let omega = try Fr.rootOfUnity(logOrder: 9)
        let polynomial = Polynomial(coefficients: coefficients)
        for i in [0, 1, 7, 255, 511] {
            #expect(values[i] == polynomial.evaluate(at: shift * omega.power(UInt64(i))))
        }
        try NTT.cosetInverse(&values, shift: shift)
        #expect(values == coefficients)
        #expect(throws: FieldError.divisionByZero) { try NTT.cosetInverse(&values, shift: .zero) }
    }

    @Test(arguments: [0, 3, 6, 1000, 1 << 29])
    func rejectsSizesThatAreNotSupportedPowersOfTwo(n: Int) {
        // Only the size is checked, so a huge count is tested on a buffer view of one element.
        if n <= 1000 {
            var values = [Fr](repeating: .one, count: n)
            #expect(throws: FieldError.unsupportedSize) { try NTT.forward(&values) }
            #expect(throws: FieldError.unsupportedSize) { try NTT.inverse(&values) }
            #expect(values.allSatisfy { $0 == .one }, "input left untouched")
        } else {
            var one = Fr.one
            withUnsafeMutablePointer(to: &one) { p in
                let fake = UnsafeMutableBufferPointer(start: p, count: n)
                #expect(throws: FieldError.unsupportedSize) { try NTT.forward(fake) }
            }
        }
    }
}

@Suite("Polynomials and low-degree extension")
struct PolynomialTests {
    // (1000, 3) and (3, 1000): one input fills more than half the transform (no zero upper half).
    @Test(arguments: [(1, 1), (3, 5), (64, 64), (100, 31), (513, 700), (1000, 3), (3, 1000)])
    func nttProductEqualsSchoolbookProduct(sizes: (Int, Int)) throws {
        let a = Polynomial(coefficients: randomVector(sizes.0, seed: 5))
        let b = Polynomial(coefficients: randomVector(sizes.1, seed: 6))
        let fast = try a.multiplied(by: b)
        #expect(fast == a.multipliedSchoolbook(by: b))
        #expect(fast.coefficients.count == sizes.0 + sizes.1 - 1)
        let x = Fr(123_456_789)
        #expect(fast.evaluate(at: x) == a.evaluate(at: x) * b.evaluate(at: x))
    }

    /// Sizes past NTT.parallelThreshold take the threaded path (the zero-upper first layer split
    /// across threads); a product is checked at random points (Schwartz–Zippel) and across thread
    /// counts rather than against the quadratic schoolbook product.
    @Test(arguments: [(9000, 7000), (1 << 15, 1 << 15), (20000, 1)])
    func largeProductsAgreeAtRandomPointsOnEveryThreadCount(sizes: (Int, Int)) throws {
        let a = Polynomial(coefficients: randomVector(sizes.0, seed: 11))
        let b = Polynomial(coefficients: randomVector(sizes.1, seed: 12))
        let single = try a.multiplied(by: b, threads: 1)
        #expect(single.coefficients.count == sizes.0 + sizes.1 - 1)
        #expect(try a.multiplied(by: b, threads: 2) == single)
        for x in randomVector(3, seed: 13) {
            #expect(single.evaluate(at: x) == a.evaluate(at: x) * b.evaluate(at: x))
        }
    }

    @Test func cyclicProductRejectsMismatchedShapes() {
        var a = randomVector(8, seed: 1), b = randomVector(4, seed: 2)
        #expect(throws: FieldError.self) {
            try a.withUnsafeMutableBufferPointer { pa in try b.withUnsafeMutableBufferPointer { pb in
                try NTT.cyclicProduct(pa, pb, aCount: 8, bCount: 4)
            } }
        }
        b = randomVector(8, seed: 2)
        #expect(throws: FieldError.self) {
            try a.withUnsafeMutableBufferPointer { pa in try b.withUnsafeMutableBufferPointer { pb in
                try NTT.cyclicProduct(pa, pb, aCount: 9, bCount: 8)
            } }
        }
    }

    @Test func productWithEmptyPolynomialIsEmpty() throws {
        let a = Polynomial(coefficients: randomVector(4, seed: 1))
        #expect(try a.multiplied(by: Polynomial(coefficients: [])).coefficients.isEmpty)
        #expect(Polynomial(coefficients: [.zero, .zero]).degree == nil)
        #expect(Polynomial(coefficients: [.one, .zero, Fr(3), .zero]).degree == 2)
    }

    @Test(arguments: [(8, 2), (64, 4), (256, 8), (1024, 16)])
    func lowDegreeExtensionAgreesWithDirectEvaluation(shape: (Int, Int)) throws {
        let (n, blowup) = shape
        let evaluations = randomVector(n, seed: UInt64(n))
        let extended = try LowDegreeExtension.extend(evaluations, blowup: blowup)
        #expect(extended.count == n * blowup)
        let polynomial = try Polynomial.interpolate(subgroupEvaluations: evaluations)
        // The interpolant really passes through the inputs.
        let omegaN = try Fr.rootOfUnity(logOrder: n.trailingZeroBitCount)
        for i in [0, 1, n - 1] { #expect(polynomial.evaluate(at: omegaN.power(UInt64(i))) == evaluations[i]) }
        let omega = try Fr.rootOfUnity(logOrder: (n * blowup).trailingZeroBitCount)
        let g = Fr.multiplicativeGenerator
        for i in stride(from: 0, to: n * blowup, by: max(1, n * blowup / 32)) {
            #expect(extended[i] == polynomial.evaluate(at: g * omega.power(UInt64(i))), "i=\(i)")
        }
    }

    @Test func lowDegreeExtensionRejectsBadShapes() {
        let values = randomVector(8, seed: 1)
        #expect(throws: FieldError.unsupportedSize) { try LowDegreeExtension.extend(values, blowup: 3) }
        #expect(throws: FieldError.unsupportedSize) { try LowDegreeExtension.extend(values, blowup: 0) }
        #expect(throws: FieldError.unsupportedSize) { try LowDegreeExtension.extend(Array(values.prefix(6)), blowup: 2) }
        #expect(throws: FieldError.unsupportedSize) { try LowDegreeExtension.extend(values, blowup: 1 << 27) }
        #expect(throws: FieldError.sizeMismatch) { try Polynomial(coefficients: values).evaluations(domainSize: 4) }
    }
}

@Suite("Vector operations")
struct FrVectorTests {
    @Test func elementwiseOperationsMatchScalarOnesOnEveryThreadCount() throws {
        let a = randomVector(20_000, seed: 1), b = randomVector(20_000, seed: 2)
        for threads in [1, 2, 3] {
            var out = [Fr](repeating: .zero, count: a.count)
            try a.withUnsafeBufferPointer { pa in try b.withUnsafeBufferPointer { pb in try out.withUnsafeMutableBufferPointer { po in
                try FrVector.multiply(pa, pb, into: po, threads: threads)
            } } }
            #expect(out == zip(a, b).map { $0 * $1 })
            try a.withUnsafeBufferPointer { pa in try b.withUnsafeBufferPointer { pb in try out.withUnsafeMutableBufferPointer { po in
                try FrVector.add(pa, pb, into: po, threads: threads)
            } } }
            #expect(out == zip(a, b).map { $0 + $1 })
            try a.withUnsafeBufferPointer { pa in try b.withUnsafeBufferPointer { pb in try out.withUnsafeMutableBufferPointer { po in
                try FrVector.subtract(pa, pb, into: po, threads: threads)
            } } }
            #expect(out == zip(a, b).map { $0 - $1 })
            var scaled = a
            scaled.withUnsafeMutableBufferPointer { FrVector.scale($0, by: Fr(7), threads: threads) }
            #expect(scaled == a.map { $0 * Fr(7) })
            var powered = a
            powered.withUnsafeMutableBufferPointer { FrVector.multiplyByPowers($0, of: Fr(3), threads: threads) }
            for i in [0, 1, 9_999, 10_000, 19_999] { #expect(powered[i] == a[i] * Fr(3).power(UInt64(i))) }
        }
    }

    @Test func mismatchedLengthsAreRejected() {
        let a = randomVector(4, seed: 1), b = randomVector(5, seed: 2)
        var out = [Fr](repeating: .zero, count: 4)
        #expect(throws: FieldError.sizeMismatch) {
            try a.withUnsafeBufferPointer { pa in try b.withUnsafeBufferPointer { pb in try out.withUnsafeMutableBufferPointer { po in
                try FrVector.multiply(pa, pb, into: po)
            } } }
        }
    }
}

@Suite("Kernel backends")
struct KernelBackendTests {
    @Test func everySupportedBackendComputesTheSameTransformsAndVectors() throws {
        let input = randomVector(1 << 12, seed: 77)
        let other = randomVector(1 << 12, seed: 78)
        var results: [[Fr]] = []
        for backend in FieldBackend.allCases where backend.isSupported {
            try FieldBackend.withBackend(backend) {
                var values = input
                try NTT.forward(&values, threads: 2)
                var product = [Fr](repeating: .zero, count: input.count)
                try values.withUnsafeBufferPointer { pa in try other.withUnsafeBufferPointer { pb in try product.withUnsafeMutableBufferPointer { po in
                    try FrVector.multiply(pa, pb, into: po)
                } } }
                let polynomial = try Polynomial(coefficients: input).multiplied(by: Polynomial(coefficients: Array(other.prefix(1000))))
                results.append(values + product + Fr.batchInverse(Array(input.prefix(100))) + polynomial.coefficients)
            }
        }
        #expect(results.count >= 1)
        for result in results.dropFirst() { #expect(result == results[0]) }
        // And the portable result is right, not merely self-consistent.
        #expect(Array(results[0][(1 << 12)...].prefix(5)) == zip(results[0].prefix(5), other.prefix(5)).map { $0 * $1 })
    }
}

@Suite("Bit-reversed transforms")
struct BitReversedNTTTests {
    static func bitReverse(_ i: Int, bits: Int) -> Int {
        var r = 0, x = i
        for _ in 0..<bits { r = (r << 1) | (x & 1); x >>= 1 }
        return r
    }

    @Test(arguments: [2, 16, 1024, 1 << 13, 1 << 15])
    func forwardBitReversedIsThePermutedForwardAndInvertsBack(n: Int) throws {
        let coefficients = randomVector(n, seed: UInt64(n) + 5)
        var natural = coefficients
        try NTT.forward(&natural, threads: 1)
        let bits = n.trailingZeroBitCount
        for threads in [1, 2, 4] {
            var reversed = coefficients
            try reversed.withUnsafeMutableBufferPointer { try NTT.forwardBitReversed($0, threads: threads) }
            for i in 0..<n { #expect(reversed[i] == natural[Self.bitReverse(i, bits: bits)], "i=\(i) threads=\(threads)") }
            try reversed.withUnsafeMutableBufferPointer { try NTT.inverseBitReversed($0, threads: threads) }
            #expect(reversed == coefficients)
        }
    }
}
