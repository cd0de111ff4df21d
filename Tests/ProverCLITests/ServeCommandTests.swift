import Foundation
import Testing

/// `prover serve` as a real process: starts on embedded defaults plus a free port, drains on
/// SIGTERM, and picks interrupted work up again after a restart.
@Suite("prover serve", .serialized)
struct ServeCommandTests {
    @Test func sigtermDrainsAndRestartRecoversTheQueue() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prover-serve-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let first = try ServerProcess(directory: directory)
        #expect(first.port > 0)
        // One long proof occupies the worker; a second task waits in the queue.
        let (s1, long) = try await first.call("POST", "/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": 1 << 18]])
        let (s2, queued) = try await first.call("POST", "/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": 64]])
        #expect(s1 == 202 && s2 == 202)
        try await Task.sleep(for: .milliseconds(300))
        let started = Date()
        #expect(first.terminate() == 0)
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(FileManager.default.fileExists(atPath: directory + "/prover-data/tasks.sqlite"))

        // A new process on the same data directory finishes both tasks.
        let second = try ServerProcess(directory: directory)
        defer { _ = second.terminate() }
        for id in [long["id"], queued["id"]].compactMap({ $0 as? String }) {
            var state = ""
            for _ in 0..<3000 where !["completed", "failed", "cancelled"].contains(state) {
                state = (try await second.call("GET", "/v1/tasks/\(id)").1["state"] as? String) ?? ""
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(state == "completed", "task \(id)")
        }
    }

    @Test func badConfigurationExitsNonZero() throws {
        let result = try runProver(["serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("api_keys"))
        let profile = try runProver(["serve", "--stark-profile", "fast", "--port", "0"])
        #expect(profile.status != 0)
    }
}
