import Foundation
import Testing

/// The REST API end to end over real HTTP: submit → prove → proof, receipt, verify.
@Suite("Daemon API", .serialized)
struct DaemonAPITests {
    @Test func submitProvesAndServesAVerifiedProof() async throws {
        let d = try await DaemonHarness.start()
        defer { Task { await d.stop() } }
        let submitted = try await d.post("/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": 64]])
        #expect(submitted.status == 202)
        let id = try #require(submitted.json["id"] as? String)
        let final = try await d.waitFinal(id)
        #expect(final["state"] as? String == "completed")

        let proof = try await d.request("GET", "/v1/tasks/\(id)/proof")
        #expect(proof.status == 200)
        #expect(proof.headers["content-type"] == "application/octet-stream")
        #expect(proof.body.prefix(4) == Data("STK1".utf8))

        let receipt = try await d.request("GET", "/v1/tasks/\(id)/receipt")
        #expect(receipt.json["verified"] as? Bool == true)
        #expect((receipt.json["public_outputs"] as? [String: Any])?["public_inputs"] != nil)

        // The same request again is answered from the store at once, with the receipt.
        let again = try await d.post("/v1/tasks", json: ["context": ["rows": 64], "type": "stark-fibonacci"])
        #expect(again.status == 200)
        #expect(again.json["id"] as? String == id)
        #expect(again.json["receipt"] != nil)

        // Upload the proof for verification; then a tampered copy.
        let outputs = try #require(receipt.json["public_outputs"])
        let valid = try await d.post("/v1/verify", json: [
            "type": "stark-fibonacci", "context": ["rows": 64], "proof": proof.body.base64EncodedString(), "public_outputs": outputs,
        ])
        #expect(valid.json["valid"] as? Bool == true)
        var tampered = proof.body
        tampered[tampered.count / 2] ^= 1
        let invalid = try await d.post("/v1/verify", json: [
            "type": "stark-fibonacci", "context": ["rows": 64], "proof": tampered.base64EncodedString(), "public_outputs": outputs,
        ])
        #expect(invalid.json["valid"] as? Bool == false)
        #expect(invalid.json["reason"] as? String != nil)
    }

    @Test func listHealthMetricsAndProofTypes() async throws {
        let d = try await DaemonHarness.start()
        defer { Task { await d.stop() } }
        let submitted = try await d.post("/v1/tasks", json: ["type": "stark-poseidon-chain", "context": ["seed": "1", "messages": ["2", "3"]]])
        _ = try await d.waitFinal(try #require(submitted.json["id"] as? String))
        let list = try await d.request("GET", "/v1/tasks?state=completed&limit=10")
        #expect((list.json["tasks"] as? [Any])?.count == 1)
        let health = try await d.request("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.json["queue_depth"] as? Int == 0)
        let metrics = try await d.request("GET", "/metrics")
        #expect(String(decoding: metrics.body, as: UTF8.self).contains("prover_tasks{state=\"completed\"} 1"))
        let types = try await d.request("GET", "/v1/proof-types")
        let names = (types.json["proof_types"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        // The built-in types, and the plugins built beside this test binary.
        #expect(Set(names ?? []).isSuperset(of: ["stark-fibonacci", "stark-poseidon-chain", "evm-ee-stf", "cl-stf", "checkpoint"]), "\(names ?? [])")
        let openapi = try await d.request("GET", "/openapi.yaml")
        #expect(openapi.status == 200)
        #expect(String(decoding: openapi.body, as: UTF8.self).hasPrefix("openapi: 3.1.0"))
    }

    @Test func cancelStopsAQueuedTask() async throws {
        let d = try await DaemonHarness.start()
        defer { Task { await d.stop() } }
        // A long proof occupies the one worker; the second waits in the queue and is cancelled.
        _ = try await d.post("/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": 1 << 17]])
        let second = try await d.post("/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": 1 << 16]])
        let id = try #require(second.json["id"] as? String)
        let cancelled = try await d.request("POST", "/v1/tasks/\(id)/cancel")
        #expect(cancelled.status == 200)
        let final = try await d.waitFinal(id)
        #expect(final["state"] as? String == "cancelled")
        let proof = try await d.request("GET", "/v1/tasks/\(id)/proof")
        #expect(proof.status == 409)
        #expect(proof.code == "conflict")
        let retried = try await d.request("POST", "/v1/tasks/\(id)/retry")
        #expect(retried.status == 202)
    }
}
