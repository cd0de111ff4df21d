import Benchmark
import ProverCore

// package-benchmark suite for scalar field arithmetic. Malloc counts are deterministic and
// gated by the committed thresholds (Thresholds/); wall-clock figures are reported only.
// Instruction counts come from valgrind (scripts/bench-instructions), because this machine's
// VM exposes no hardware counters to perf.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .instructions],
        scalingFactor: .kilo,
        maxDuration: .seconds(1),
        maxIterations: 50,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 0])]
    )
    var rng = SystemRandomNumberGenerator()
    let y = Fr.random(using: &rng)
    let seed = Fr.random(using: &rng)

    Benchmark("fr.mul") { benchmark in
        var x = seed
        for _ in benchmark.scaledIterations { x = x * y }
        blackHole(x)
    }
    Benchmark("fr.square") { benchmark in
        var x = seed
        for _ in benchmark.scaledIterations { x = x.squared() }
        blackHole(x)
    }
    Benchmark("fr.add") { benchmark in
        var x = seed
        for _ in benchmark.scaledIterations { x = x + y }
        blackHole(x)
    }
    Benchmark("fr.inverse", configuration: .init(scalingFactor: .one)) { benchmark in
        var x = seed
        for _ in benchmark.scaledIterations { x = (x.inverse ?? .one) + y }
        blackHole(x)
    }
    Benchmark("gmp.mont_mul") { benchmark in
        var x = seed
        for _ in benchmark.scaledIterations { x = GMPMontgomery.multiply(x, y) }
        blackHole(x)
    }
    Benchmark("fr.batch_inverse.4096", configuration: .init(scalingFactor: .one)) { benchmark in
        var values = (0..<4096).map { _ in Fr.random() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            // One scratch allocation per call (the prefix products).
            values.withUnsafeMutableBufferPointer { Fr.batchInvert($0) }
        }
        benchmark.stopMeasurement()
        blackHole(values)
    }
}
