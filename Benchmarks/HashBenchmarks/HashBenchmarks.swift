import Benchmark
import ProverCore

// package-benchmark suite for hashing: BLAKE3 batches, Poseidon, Merkle commitments.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .instructions],
        scalingFactor: .one,
        maxDuration: .seconds(1),
        maxIterations: 50
    )
    let messages = (0..<(64 * 4096)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
    Benchmark("blake3.hash_many_64B.4096") { benchmark in
        var digests = [UInt8](repeating: 0, count: 32 * 4096)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            messages.withUnsafeBytes { input in
                digests.withUnsafeMutableBytes { output in try! Blake3.hashMany64(input, into: output) }
            }
        }
        benchmark.stopMeasurement()
        blackHole(digests)
    }
    Benchmark("poseidon.t3", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let parameters = try! PoseidonParameters.circom(width: 3)
        var state = [Fr(1), Fr(2), Fr(3)]
        benchmark.startMeasurement()
        state.withUnsafeMutableBufferPointer { s in
            for _ in benchmark.scaledIterations { Poseidon.permute(s, parameters: parameters) }
        }
        benchmark.stopMeasurement()
        blackHole(state)
    }
    let rows = (0..<(1 << 12) * 8).map { Fr(UInt64($0)) }
    Benchmark("merkle.2^12x8") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try! MerkleTree(rows: rows, rowWidth: 8, threads: 1).root)
        }
    }
}
