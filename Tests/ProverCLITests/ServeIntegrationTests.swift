import Foundation
import Testing

/// The real `prover serve` binary end to end: a checkpoint submitted over REST and another over
/// JSON-RPC are proven through the plugin graph; their proofs are downloaded and checked by a
/// separate `prover verify` process.
@Suite("prover serve, end to end", .serialized)
struct ServeIntegrationTests {
    @Test func checkpointsSubmittedOverRESTAndRPCAreProvenDownloadedAndVerified() async throws {
        let directory = try temporaryDirectory("prover-e2e")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = try ServerProcess(
            directory: directory, configuration: ["checkpoint_runner": false, "workers": ["cpu": 2], "devnet_seed": 7])
        defer { _ = server.terminate() }
        try #require(server.port > 0)

        // Checkpoint 1 over REST.
        let (status, submitted) = try await server.call("POST", "/v1/tasks", json: ["type": "checkpoint", "context": ["index": 1]])
        #expect(status == 202, "\(submitted)")
        let restID = try #require(submitted["id"] as? String)

        // Checkpoint 2 over JSON-RPC.
        let (rpcStatus, reply) = try await server.call(
            "POST", "/rpc", json: ["jsonrpc": "2.0", "id": 1, "method": "dev_strata_proveCheckpoint", "params": [2]])
        #expect(rpcStatus == 200)
        let rpcIDs = try #require(reply["result"] as? [String], "\(reply)")
        let rpcID = try #require(rpcIDs.first)

        for (id, index) in [(restID, 1), (rpcID, 2)] {
            let final = try await server.waitFinal(id, seconds: 300)
            try #require(final["state"] as? String == "completed", "\(final)")
            let (proofStatus, proof) = try await server.request("GET", "/v1/tasks/\(id)/proof")
            #expect(proofStatus == 200)
            let (receiptStatus, receipt) = try await server.call("GET", "/v1/tasks/\(id)/receipt")
            #expect(receiptStatus == 200 && receipt["verified"] as? Bool == true)
            let outputs = try #require((receipt["public_outputs"] as? [String: Any])?["hex"] as? String)

            // An independent process checks the downloaded proof against the AIR of checkpoint `index`.
            let bundle = directory + "/checkpoint-\(index).json"
            try writeBundle(
                to: bundle, type: "checkpoint", context: "{\"index\":\(index)}", seed: 7, proof: proof, outputsHex: outputs)
            let valid = try runProver(["verify", bundle])
            #expect(valid.status == 0, "\(valid.stderr)")
            #expect(valid.stdout.hasPrefix("valid: checkpoint"))

            // The same proof presented as the other checkpoint is refused.
            let other = directory + "/relabelled-\(index).json"
            try writeBundle(
                to: other, type: "checkpoint", context: "{\"index\":\(3 - index)}", seed: 7, proof: proof, outputsHex: outputs)
            #expect(try runProver(["verify", other]).status != 0)
        }
        // The RPC view agrees.
        let (_, rpcProof) = try await server.call(
            "POST", "/rpc", json: ["jsonrpc": "2.0", "id": 2, "method": "dev_strata_getProof", "params": [rpcID]])
        #expect((rpcProof["result"] as? [String: Any])?["verified"] as? Bool == true)
    }

    /// Writes a `prover verify` bundle; `outputsHex` is the receipt's 32-byte little-endian outputs.
    private func writeBundle(to path: String, type: String, context: String, seed: Int, proof: Data, outputsHex: String) throws {
        let bytes = stride(from: 0, to: outputsHex.count, by: 2).map { offset -> UInt8 in
            let start = outputsHex.index(outputsHex.startIndex, offsetBy: offset)
            return UInt8(outputsHex[start..<outputsHex.index(start, offsetBy: 2)], radix: 16)!
        }
        let outputs = stride(from: 0, to: bytes.count, by: 32).map { start in
            "0x" + bytes[start..<start + 32].reversed().map { String(format: "%02x", $0) }.joined()
        }
        let bundle: [String: Any] = [
            "type": type, "context": context, "profile": "test-insecure", "devnet_seed": seed,
            "public_outputs": outputs, "proof": proof.base64EncodedString(),
        ]
        try JSONSerialization.data(withJSONObject: bundle).write(to: URL(fileURLWithPath: path))
    }
}
