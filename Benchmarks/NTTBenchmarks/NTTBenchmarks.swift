import Benchmark
import ProverCore

// package-benchmark suite for the NTT: single-threaded transforms and NTT polynomial products.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .instructions],
        scalingFactor: .one,
        maxDuration: .seconds(1),
        maxIterations: 20
    )
    for log in [10, 12, 16] {
        let input = (0..<(1 << log)).map { _ in Fr.random() }
        Benchmark("ntt.2^\(log)") { benchmark in
            var values = input
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                try! NTT.forward(&values, threads: 1)
            }
            benchmark.stopMeasurement()
            blackHole(values)
        }
    }
    let a = Polynomial(coefficients: (0..<4096).map { _ in Fr.random() })
    let b = Polynomial(coefficients: (0..<4096).map { _ in Fr.random() })
    Benchmark("polymul.2^12") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! a.multiplied(by: b, threads: 1))
        }
    }
}
