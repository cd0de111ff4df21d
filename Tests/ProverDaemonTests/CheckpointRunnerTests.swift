import Foundation
import Testing

/// The checkpoint runner proves three consecutive devnet checkpoints in order, hands the proofs back, and
/// rides out a chain outage.
@Suite("Checkpoint runner", .serialized)
struct CheckpointRunnerTests {
    @Test func provesEveryCheckpointInOrderAcrossAnOutage() async throws {
        // An outage from the start (before the runner's first poll): it reports it and keeps trying.
        let d = try await DaemonHarness.start(
            {
                $0.checkpointRunner = true
                $0.checkpointPollSeconds = 0.05
                $0.devnetCheckpoints = 3
                $0.workers = ["cpu": 2]
            }, prepare: { $0.devnet.setAvailable(false) })
        defer { Task { await d.stop() } }
        let devnet = d.daemon.devnet
        var sawError = false
        for _ in 0..<100 where !sawError {
            let health = try await d.request("GET", "/healthz")
            sawError = ((health.json["checkpoint_runner"] as? [String: Any])?["last_error"] as? String)?.contains("unavailable") == true
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(sawError)
        #expect(devnet.provenCheckpoint == 0)
        devnet.setAvailable(true)

        let deadline = ContinuousClock.now + .seconds(180)
        while devnet.provenCheckpoint < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(devnet.provenCheckpoint == 3)
        // The accepted proofs are the stored, verified ones.
        let list = try await d.request("GET", "/v1/tasks?type=checkpoint&state=completed")
        let tasks = try #require(list.json["tasks"] as? [[String: Any]])
        #expect(tasks.count == 3)
        for task in tasks {
            let id = try #require(task["id"] as? String)
            let proof = try await d.request("GET", "/v1/tasks/\(id)/proof")
            let index = try #require((task["context"] as? [String: Any])?["index"] as? Int)
            #expect(devnet.acceptedProofDigest(index)?.hex == BLAKE3Hex.of(proof.body))
        }
    }
}

import ProverCore

enum BLAKE3Hex {
    static func of(_ data: Data) -> String { Blake3.hash([UInt8](data)).hex }
}
