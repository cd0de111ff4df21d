import Foundation
import Testing

/// `prover bench throughput` runs through the service path and reports every metric (values
/// are timings: only their presence and sign are checked here).
@Suite("prover bench throughput")
struct BenchThroughputTests {
    @Test func reportsEveryMetricAndWritesThePlot() throws {
        let plot = FileManager.default.temporaryDirectory.appendingPathComponent("throughput-\(UUID().uuidString).svg").path
        defer { try? FileManager.default.removeItem(atPath: plot) }
        let result = try runProver([
            "bench", "throughput", "--types", "evm-ee-stf", "--workers", "1,3", "--duration", "0.5", "--mode", "one-thread",
            "--profile", "test-insecure", "--plot", plot, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let metrics = Set(lines.compactMap { $0["metric"] as? String })
        #expect(metrics.isSuperset(of: ["proofs_per_s", "p50_ms", "p99_ms", "scaling_efficiency", "orchestration_share", "cpu_utilization"]))
        #expect(lines.filter { $0["metric"] as? String == "proofs_per_s" }.allSatisfy { ($0["value"] as? Double ?? 0) > 0 })
        // 3 workers on this machine's cores may be oversubscribed, and says so.
        if ProcessInfo.processInfo.activeProcessorCount < 3 {
            #expect(lines.contains { $0["oversubscribed"] as? String == "true" })
        }
        #expect(try String(contentsOfFile: plot, encoding: .utf8).hasPrefix("<svg"))
    }

    @Test func badArgumentsAreRefused() throws {
        #expect(try runProver(["bench", "throughput", "--types", "nope", "--duration", "0.1"]).status != 0)
        #expect(try runProver(["bench", "throughput", "--workers", "0"]).status != 0)
        #expect(try runProver(["bench", "throughput", "--duration", "-1"]).status != 0)
    }
}
