import ProverCore

/// The `ntt` suite: transforms of 2^10…2^20 elements on one thread and on all cores, and NTT
/// polynomial products, plus each single-thread transform's ratio to its multiplication floor.
public enum NTTSuite {
    public static let name = "ntt"

    public static func run(quick: Bool, mulNanoseconds: Double? = nil) -> [BenchmarkRecord] {
        var records: [BenchmarkRecord] = []
        var rng = SystemRandomNumberGenerator()
        let cores = ProcessorInfo.activeCores
        let threadCounts = cores > 1 ? [1, cores] : [1]
        let logs = quick ? [10, 12, 16] : [10, 12, 16, 20]
        for log in logs {
            let n = 1 << log
            let input = (0..<n).map { _ in Fr.random(using: &rng) }
            for threads in threadCounts {
                var values = input
                let repetitions = log >= 20 ? 3 : log >= 16 ? 7 : 21
                let ns = Measurement.medianNanoseconds(repetitions: repetitions) {
                    try! NTT.forward(&values, threads: threads)
                }
                records.append(BenchmarkRecord(suite: name, name: "ntt.2^\(log)", metric: "ms", value: ns / 1e6, unit: "ms", threads: threads))
                if threads == 1, let mul = mulNanoseconds {
                    // The floor: n/2·log2 n butterflies, one multiplication each.
                    let floor = Double(n / 2 * log) * mul
                    records.append(BenchmarkRecord(suite: name, name: "ntt.2^\(log)", metric: "ratio_to_mul_floor", value: ns / floor, unit: "x", threads: 1))
                }
            }
        }
        for log in quick ? [12] : [12, 16] {
            let n = 1 << log
            let a = Polynomial(coefficients: (0..<n).map { _ in Fr.random(using: &rng) })
            let b = Polynomial(coefficients: (0..<n).map { _ in Fr.random(using: &rng) })
            for threads in threadCounts {
                let ns = Measurement.medianNanoseconds(repetitions: log >= 16 ? 5 : 11) {
                    blackHole(try! a.multiplied(by: b, threads: threads))
                }
                records.append(BenchmarkRecord(suite: name, name: "polymul.2^\(log)", metric: "ms", value: ns / 1e6, unit: "ms", threads: threads))
            }
        }
        return records
    }
}
