import Foundation
import Testing

/// `prover bench api` drives a real `prover serve` child process and reports rate, latency and
/// errors for status and submit (values are timings: only presence and sign are checked).
@Suite("prover bench api")
struct BenchAPITests {
    @Test func reportsRateLatencyAndNoErrorsForStatusAndSubmit() throws {
        let result = try runProver(["bench", "api", "--json", "--requests", "300", "--submits", "30", "--seed-tasks", "4", "--connections", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        for name in ["status", "submit"] {
            let mine = lines.filter { $0["suite"] as? String == "api" && $0["case"] as? String == name }
            let value = { (metric: String) in mine.first { $0["metric"] as? String == metric }?["value"] as? Double }
            #expect((value("req_per_s") ?? 0) > 0, "\(name)")
            #expect((value("p50_ms") ?? 0) > 0 && (value("p99_ms") ?? 0) >= (value("p50_ms") ?? 0), "\(name)")
            #expect(value("errors") == 0, "\(name)")
        }
        #expect(lines.first { $0["case"] as? String == "status" }?["requests"] as? String == "300")
    }

    @Test func badArgumentsAreRefused() throws {
        #expect(try runProver(["bench", "api", "--connections", "0"]).status != 0)
        #expect(try runProver(["bench", "api", "--requests", "0"]).status != 0)
    }
}
