import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `prover devnet serve` as a real process, and `prover serve --chain-rpc` following it: the
/// checkpoint runner proves the external chain's checkpoints and rides out the chain process
/// being killed and restarted.
@Suite("prover devnet serve and --chain-rpc", .serialized)
struct ChainRPCCommandTests {
    /// One JSON-RPC call; the whole response object.
    func rpc(_ url: String, _ method: String, _ params: [String: Any] = [:]) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": 1, "method": method, "params": params])
        let (data, _) = try await URLSession.shared.data(for: request)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func provenCheckpoint(_ url: String) async -> Int {
        let reply = try? await rpc(url, "chain_getInfo")
        return (reply?["result"] as? [String: Any])?["proven_checkpoint"] as? Int ?? -1
    }

    @Test func devnetServeAnswersTheChainMethods() async throws {
        let directory = try temporaryDirectory("prover-devnet")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let devnet = try ProverServer(["devnet", "serve", "--port", "0", "--seed", "7", "--checkpoints", "3"], directory: directory, name: "devnet")
        defer { devnet.stop() }
        #expect(devnet.port > 0, "\(devnet.log)")
        let info = try #require(try await rpc(devnet.url, "chain_getInfo")["result"] as? [String: Any])
        #expect(info["checkpoint_count"] as? Int == 3)
        #expect(info["seed"] as? String == "7")
        let checkpoint = try #require(try await rpc(devnet.url, "chain_getCheckpoint", ["index": 2])["result"] as? [String: Any])
        #expect(checkpoint["index"] as? Int == 2)
        let missing = try #require(try await rpc(devnet.url, "chain_getCheckpoint", ["index": 9])["error"] as? [String: Any])
        #expect(missing["code"] as? Int == -32004)
        #expect((missing["data"] as? [String: Any])?["kind"] as? String == "not_found")
        let unknown = try #require(try await rpc(devnet.url, "eth_blockNumber")["error"] as? [String: Any])
        #expect(unknown["code"] as? Int == -32601)
        #expect(devnet.stop() == 0)  // SIGTERM: a clean exit
    }

    @Test func serveFollowsAnExternalChainAndRecoversWhenItRestarts() async throws {
        let directory = try temporaryDirectory("prover-chain-rpc")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let chainArguments = ["devnet", "serve", "--seed", "3", "--checkpoints", "2"]
        var devnet = try ProverServer(chainArguments + ["--port", "0"], directory: directory, name: "devnet")
        let chainPort = devnet.port
        #expect(chainPort > 0, "\(devnet.log)")
        let chainURL = devnet.url
        let daemon = try ProverServer(
            ["serve", "--port", "0", "--stark-profile", "test-insecure", "--chain-rpc", chainURL], directory: directory,
            environment: ["PROVER_CHECKPOINT_POLL_SECONDS": "0.1", "PROVER_WORKERS": "2"], name: "daemon")
        defer {
            daemon.stop()
            devnet.stop()
        }
        #expect(daemon.port > 0, "\(daemon.log)")

        // The runner proves checkpoint 1 from the external chain and hands the proof back.
        var deadline = ContinuousClock.now + .seconds(240)
        while await provenCheckpoint(chainURL) < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(await provenCheckpoint(chainURL) >= 1, "\(daemon.log)")

        // The chain dies: the runner reports the source unreachable, and keeps trying.
        devnet.kill()
        var lastError = ""
        deadline = ContinuousClock.now + .seconds(30)
        while !lastError.contains("unreachable"), ContinuousClock.now < deadline {
            if let (data, _) = try? await URLSession.shared.data(from: URL(string: "\(daemon.url)/healthz")!),
                let health = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            {
                lastError = ((health["checkpoint_runner"] as? [String: Any])?["last_error"] as? String) ?? ""
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(lastError.contains("source_unavailable") && lastError.contains("unreachable"), "\(lastError)")

        // A new chain process on the same port starts at proven checkpoint 0: the runner hands
        // it every proof again, from the store, and proves what is left.
        devnet = try ProverServer(chainArguments + ["--port", String(chainPort)], directory: directory, name: "devnet")
        #expect(devnet.port == chainPort, "\(devnet.log)")
        deadline = ContinuousClock.now + .seconds(240)
        while await provenCheckpoint(chainURL) < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(await provenCheckpoint(chainURL) == 2, "\(daemon.log)")
    }
}
