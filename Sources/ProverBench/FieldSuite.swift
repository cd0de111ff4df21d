import ProverCore

/// The `field` suite: scalar `Fr` arithmetic beside GMP's two ways of doing the same.
public enum FieldSuite {
    public static let name = "field"

    public static func run(quick: Bool) -> [BenchmarkRecord] {
        let scale = quick ? 1 : 10
        let n = 100_000 * scale
        var rng = SystemRandomNumberGenerator()
        let y = Fr.random(using: &rng)
        let seed = Fr.random(using: &rng)
        var records: [BenchmarkRecord] = []
        func record(_ name: String, _ ns: Double) {
            records.append(BenchmarkRecord(suite: self.name, name: name, metric: "ns_per_op", value: ns, unit: "ns"))
        }

        // Dependent chains: each operation needs the previous result, so this is latency.
        record("fr.mul", Measurement.nanosecondsPerOperation(operations: n) {
            var x = seed
            for _ in 0..<n { x = x * y }
            blackHole(x)
        })
        record("fr.mul_c_call", Measurement.nanosecondsPerOperation(operations: n) {
            var x = seed
            for _ in 0..<n { x = FieldKernels.multiply(x, y) }
            blackHole(x)
        })
        record("fr.square", Measurement.nanosecondsPerOperation(operations: n) {
            var x = seed
            for _ in 0..<n { x = x.squared() }
            blackHole(x)
        })
        record("fr.add", Measurement.nanosecondsPerOperation(operations: n) {
            var x = seed
            for _ in 0..<n { x = x + y }
            blackHole(x)
        })
        let inversions = 2_000 * scale
        record("fr.inverse", Measurement.nanosecondsPerOperation(operations: inversions) {
            var x = seed
            for _ in 0..<inversions { x = (x.inverse ?? .one) + y }
            blackHole(x)
        })
        let batch = (0..<4096).map { _ in Fr.random(using: &rng) }
        var work = batch
        record("fr.batch_inverse", Measurement.nanosecondsPerOperation(operations: batch.count * scale) {
            for _ in 0..<scale { work.withUnsafeMutableBufferPointer { Fr.batchInvert($0) } }
            blackHole(work)
        })
        record("gmp.mont_mul", Measurement.nanosecondsPerOperation(operations: n) {
            var x = seed
            for _ in 0..<n { x = GMPMontgomery.multiply(x, y) }
            blackHole(x)
        })
        let multiplier = GMPModularMultiplier()
        let a = GMPInteger(littleEndianLimbs: [1, 2, 3, 4]), b = GMPInteger(littleEndianLimbs: [5, 6, 7, 8])
        let c = GMPInteger()
        record("gmp.mpz_mulmod", Measurement.nanosecondsPerOperation(operations: n) {
            multiplier.multiply(a, b, into: c)
            for _ in 0..<(n / 2) {
                multiplier.multiply(c, b, into: a)
                multiplier.multiply(a, b, into: c)
            }
            blackHole(c)
        })
        return records
    }
}
