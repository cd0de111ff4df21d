import ProverCore

/// The `hash` suite: BLAKE3 throughput and batched 64-byte hashing, Poseidon permutations, and
/// Merkle commitments to rows of 8 field elements.
public enum HashSuite {
    public static let name = "hash"

    public static func run(quick: Bool) -> [BenchmarkRecord] {
        var records: [BenchmarkRecord] = []
        var rng = SystemRandomNumberGenerator()
        let cores = ProcessorInfo.activeCores

        // BLAKE3 over 1 MiB, one thread and all cores.
        let mib = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        mib.withUnsafeBytes { buffer in
            let one = Measurement.medianNanoseconds(repetitions: quick ? 9 : 31) {
                var hasher = Blake3.Hasher()
                hasher.update(bytes: buffer)
                blackHole(hasher.finalize())
            }
            records.append(BenchmarkRecord(suite: name, name: "blake3.1MiB", metric: "MiB_per_s", value: 1e9 / one, unit: "MiB/s", threads: 1))
            if cores > 1 {
                let all = Measurement.medianNanoseconds(repetitions: quick ? 9 : 31) { blackHole(Blake3.hashParallel(buffer)) }
                records.append(BenchmarkRecord(suite: name, name: "blake3.1MiB", metric: "MiB_per_s", value: 1e9 / all, unit: "MiB/s", threads: cores))
            }
        }

        // 4096 independent 64-byte messages per call: the Merkle node case.
        let count = 4096
        let messages = (0..<(64 * count)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var digests = [UInt8](repeating: 0, count: 32 * count)
        messages.withUnsafeBytes { input in
            digests.withUnsafeMutableBytes { output in
                let ns = Measurement.medianNanoseconds(repetitions: quick ? 11 : 51) { try! Blake3.hashMany64(input, into: output) }
                records.append(BenchmarkRecord(suite: name, name: "blake3.hash_many_64B", metric: "ns_per_op", value: ns / Double(count), unit: "ns"))
            }
        }

        // Poseidon permutations, circomlib parameters.
        for t in [3, 5] {
            let parameters = try! PoseidonParameters.circom(width: t)
            var state = (0..<t).map { _ in Fr.random(using: &rng) }
            let permutations = quick ? 200 : 2_000
            let ns = Measurement.nanosecondsPerOperation(operations: permutations) {
                state.withUnsafeMutableBufferPointer { s in
                    for _ in 0..<permutations { Poseidon.permute(s, parameters: parameters) }
                }
                blackHole(state)
            }
            records.append(BenchmarkRecord(suite: name, name: "poseidon.t\(t)", metric: "ns_per_op", value: ns, unit: "ns"))
        }

        // Merkle trees over 2^k rows of 8 field elements.
        for log in quick ? [16] : [16, 20] {
            let rows = (0..<((1 << log) * 8)).map { _ in Fr.random(using: &rng) }
            for threads in cores > 1 ? [1, cores] : [1] {
                let ns = Measurement.medianNanoseconds(repetitions: log >= 20 ? 3 : 5) {
                    blackHole(try! MerkleTree(rows: rows, rowWidth: 8, threads: threads).root)
                }
                records.append(BenchmarkRecord(suite: name, name: "merkle.2^\(log)", metric: "ms", value: ns / 1e6, unit: "ms", threads: threads))
            }
        }
        return records
    }
}
