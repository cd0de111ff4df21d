import ArgumentParser
import Foundation
import ProverCore

/// `prover bench hash`: BLAKE3 throughput (1 MiB) and batched 64-byte hashing.
struct BenchHashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Benchmark BLAKE3: 1 MiB throughput, hash_many over 64-byte inputs, one-shot 64-byte hash."
    )

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @Option(name: .long, help: "Kernel backend: auto, portable, sse41, avx2, avx512.")
    var backend: String = "auto"

    @Option(name: .long, help: "Approximate seconds per case.")
    var seconds: Double = 0.5

    struct Result {
        let name: String
        let metric: String
        let value: Double
        let unit: String
        let threads: Int
    }

    func run() async throws {
        if backend != "auto" {
            guard let b = Blake3.Backend.allCases.first(where: { $0.description == backend }), Blake3.Backend.force(b) else {
                throw ValidationError("backend \(backend) unknown or unsupported on this CPU")
            }
        }
        var results: [Result] = []
        let mib = 1 << 20
        var rng = SystemRandomNumberGenerator()
        let data = (0..<mib).map { _ in UInt8.random(in: 0...255, using: &rng) }
        data.withUnsafeBytes { buf in
            let perHash = Self.secondsPerRun(budget: seconds) {
                var h = Blake3.Hasher()
                h.update(bytes: buf)
                Self.consume(h.finalize())
            }
            results.append(Result(name: "blake3.1MiB", metric: "MiB_per_s", value: 1 / perHash, unit: "MiB/s", threads: 1))
            let cores = ProcessInfo.processInfo.activeProcessorCount
            if cores > 1 {
                let perParallel = Self.secondsPerRun(budget: seconds) { Self.consume(Blake3.hashParallel(buf)) }
                results.append(Result(name: "blake3.1MiB", metric: "MiB_per_s", value: 1 / perParallel, unit: "MiB/s", threads: cores))
            }
        }
        // Merkle case: 4096 independent 64-byte messages per call.
        let n = 4096
        let msgs = (0..<(64 * n)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var out = [UInt8](repeating: 0, count: 32 * n)
        msgs.withUnsafeBytes { i in
            out.withUnsafeMutableBytes { o in
                let perCall = Self.secondsPerRun(budget: seconds) { try! Blake3.hashMany64(i, into: o) }
                results.append(Result(name: "blake3.hash_many_64B", metric: "ns_per_op", value: perCall / Double(n) * 1e9, unit: "ns", threads: 1))
            }
        }
        Self.consume(out)
        // Transcript case: one-shot hash of a single 64-byte message.
        let one = Array(msgs.prefix(64))
        let perOne = Self.secondsPerRun(budget: seconds) {
            for _ in 0..<1000 { Self.consume(Blake3.hash(one)) }
        }
        results.append(Result(name: "blake3.oneshot_64B", metric: "ns_per_op", value: perOne / 1000 * 1e9, unit: "ns", threads: 1))
        let active = Blake3.Backend.active.description
        if json {
            for r in results {
                let v = (r.value * 100).rounded() / 100
                print(#"{"suite":"hash","case":"\#(r.name)","metric":"\#(r.metric)","value":\#(v),"unit":"\#(r.unit)","threads":\#(r.threads)}"#)
            }
        } else {
            print("BLAKE3 benchmarks (backend \(active))")
            print("case                    metric       value        threads")
            for r in results {
                let name = r.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                let metric = r.metric.padding(toLength: 13, withPad: " ", startingAt: 0)
                let value = String(format: "%10.2f %@", r.value, r.unit).padding(toLength: 16, withPad: " ", startingAt: 0)
                print("\(name)\(metric)\(value) \(r.threads)")
            }
        }
    }

    /// Best (minimum) seconds per call of `body` over batches filling `budget`.
    static func secondsPerRun(budget: Double, _ body: () -> Void) -> Double {
        body()  // warm up
        var best = Double.infinity
        var reps = 1
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(budget * 1000))
        repeat {
            let start = clock.now
            for _ in 0..<reps { body() }
            let d = clock.now - start
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            best = min(best, s / Double(reps))
            if s < 0.01 { reps *= 2 }
        } while clock.now < deadline
        return best
    }

    @inline(never) static func consume<T>(_ x: T) { withExtendedLifetime(x) {} }
}
