import Foundation
import Testing

/// JSON-RPC 2.0 at /rpc: the reference methods, batches, notifications and error objects.
@Suite("Daemon JSON-RPC", .serialized)
struct DaemonRPCTests {
    static func rpc(_ d: DaemonHarness, _ method: String, _ params: [Any] = [], id: Any = 1) async throws -> [String: Any] {
        try await d.post("/rpc", json: ["jsonrpc": "2.0", "method": method, "params": params, "id": id]).json
    }

    @Test func statusProofAndReportOfAReferenceTask() async throws {
        let d = try await DaemonHarness.start()
        defer { Task { await d.stop() } }
        let submitted = try await d.post("/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": 32]])
        let id = try #require(submitted.json["id"] as? String)
        _ = try await d.waitFinal(id)
        let status = try await Self.rpc(d, "dev_strata_getTaskStatus", [id])
        #expect(status["result"] as? String == "completed")
        let proof = try await Self.rpc(d, "dev_strata_getProof", [id])
        let receipt = try #require(proof["result"] as? [String: Any])
        #expect(receipt["verified"] as? Bool == true)
        #expect(Data(base64Encoded: receipt["proof"] as? String ?? "")?.prefix(4) == Data("STK1".utf8))
        let report = try await Self.rpc(d, "dev_strata_getReport")
        #expect((report["result"] as? [String: Any])?["completed"] as? Int == 1)
    }

    @Test func errorsUseJSONRPCCodesWithTheStableCodeInData() async throws {
        let d = try await DaemonHarness.start()
        defer { Task { await d.stop() } }
        func error(_ reply: [String: Any]) -> (Int?, String?) {
            let e = reply["error"] as? [String: Any]
            return (e?["code"] as? Int, (e?["data"] as? [String: Any])?["code"] as? String)
        }
        #expect(error(try await Self.rpc(d, "dev_strata_nothing")).0 == -32601)
        #expect(error(try await Self.rpc(d, "dev_strata_getTaskStatus", ["xyz"])).0 == -32602)
        #expect(error(try await Self.rpc(d, "dev_strata_getTaskStatus", [String(repeating: "0", count: 32)])) == (-32000, "not_found"))
        #expect(error(try await Self.rpc(d, "dev_strata_proveElBlocks", [[5, 2]])).0 == -32602)
        #expect(error(try await Self.rpc(d, "dev_strata_proveElBlocks", [1, 2])).0 == -32602)
        #expect(error(try await Self.rpc(d, "dev_strata_proveCheckpoint", [true])).0 == -32602)
        #expect(error(try await Self.rpc(d, "dev_strata_proveCheckpoint", [1.5])).0 == -32602)
        #expect(error(try await Self.rpc(d, "dev_strata_proveCheckpoint", [99])).0 == -32602)
        let parse = try await d.request("POST", "/rpc", body: Data("{nope".utf8))
        #expect((parse.json["error"] as? [String: Any])?["code"] as? Int == -32700)
        let invalid = try await d.post("/rpc", json: ["method": "dev_strata_getReport", "id": 3])
        #expect((invalid.json["error"] as? [String: Any])?["code"] as? Int == -32600)
    }

    @Test func batchesAndNotifications() async throws {
        let d = try await DaemonHarness.start()
        defer { Task { await d.stop() } }
        let batch: [Any] = [
            ["jsonrpc": "2.0", "method": "dev_strata_getReport", "id": "a"],
            ["jsonrpc": "2.0", "method": "dev_strata_getReport"],  // notification: no answer
            ["jsonrpc": "2.0", "method": "nope", "id": 2],
        ]
        let reply = try await d.request("POST", "/rpc", body: try JSONSerialization.data(withJSONObject: batch))
        let answers = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [[String: Any]])
        #expect(answers.count == 2)
        #expect(answers.contains { $0["id"] as? String == "a" && $0["result"] != nil })
        let onlyNotification = try await d.post("/rpc", json: ["jsonrpc": "2.0", "method": "dev_strata_getReport"])
        #expect(onlyNotification.status == 204)
    }

    @Test func checkpointMethodsProveThePluginGraphWithStarks() async throws {
        let d = try await DaemonHarness.start { $0.workers = ["cpu": 2] }
        defer { Task { await d.stop() } }
        // Checkpoint 1's ranges from the chain, through the same JSON method the plugins use.
        let ids = try #require(try await Self.rpc(d, "dev_strata_proveCheckpoint", [1])["result"] as? [String])
        #expect(ids.count == 2)  // the checkpoint, then its ClStf dependency
        let final = try await d.waitFinal(ids[0], timeout: .seconds(120))
        #expect(final["state"] as? String == "completed", "\(final)")
        let proof = try await Self.rpc(d, "dev_strata_getProof", [ids[0]])
        let receipt = try #require(proof["result"] as? [String: Any])
        #expect(receipt["verified"] as? Bool == true)
        #expect((receipt["metadata"] as? [String: Any])?["backend"] as? String == "stark")
        let report = try #require(try await Self.rpc(d, "dev_strata_getReport")["result"] as? [String: Int])
        #expect(report["completed"] == 3)  // checkpoint, cl-stf, evm-ee-stf

        // The raw form checks its ranges against the chain's checkpoint.
        let wrong = try await Self.rpc(d, "dev_strata_proveCheckpointRaw", [1, [1, 2], [1, 2]])
        #expect((wrong["error"] as? [String: Any])?["code"] as? Int == -32602)
        let latest = try await Self.rpc(d, "dev_strata_proveLatestCheckPoint")
        #expect((latest["result"] as? [String])?.isEmpty == false)
    }
}
