import Foundation
import Testing

/// Configuration layers (defaults < file < PROVER_* < flags) and `prover config check`.
@Suite("prover config")
struct ConfigCommandTests {
    func effective(_ result: (status: Int32, stdout: String, stderr: String)) throws -> [String: Any] {
        // The pretty-printed JSON ends at the first unindented "}"; origins may follow.
        let end = try #require(result.stdout.range(of: "\n}")?.upperBound)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout[..<end].utf8)) as? [String: Any])
    }

    func writeConfig(_ object: [String: Any]) throws -> String {
        let path = "\(try temporaryDirectory("prover-config"))/prover.json"
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func environmentOverridesTheFileAndSecretsAreRedacted() throws {
        let digest = String(repeating: "ab", count: 32)
        let file = try writeConfig(["port": 9000, "workers": ["cpu": 3], "stark_profile": "test-insecure", "api_keys": ["ops": digest]])
        let result = try runProver(["config", "check", "--config", file, "--origins"], environment: [
            "PROVER_PORT": "9100", "PROVER_DATA_DIR": "/var/lib/prover", "PROVER_CHAIN_RPC": "http://user:pw@127.0.0.1:8545",
            "PROVER_CHECKPOINT_RUNNER": "false", "PROVER_LOG_LEVEL": "debug", "PROVER_TASK_TIMEOUT_SECONDS": "90",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let config = try effective(result)
        #expect(config["port"] as? Int == 9100)  // env over file
        #expect((config["workers"] as? [String: Int]) == ["cpu": 3])  // file over default
        #expect(config["stark_profile"] as? String == "test-insecure")
        #expect(config["data_directory"] as? String == "/var/lib/prover")
        #expect(config["checkpoint_runner"] as? Bool == false)
        #expect(config["log_level"] as? String == "debug")
        #expect(config["task_timeout_seconds"] as? Double == 90)
        #expect(config["host"] as? String == "127.0.0.1")  // default
        #expect(config["plugin_directory"] is NSNull)
        // Secrets never printed.
        #expect((config["api_keys"] as? [String: String]) == ["ops": "<redacted>"])
        #expect(!result.stdout.contains(digest) && !result.stdout.contains("pw@"))
        #expect(config["chain_rpc"] as? String == "http://redacted@127.0.0.1:8545")
        #expect(result.stdout.contains("port: env PROVER_PORT"))
        #expect(result.stdout.contains("workers: file \(file)"))
    }

    @Test func environmentMapsAndShortForms() throws {
        let digest = String(repeating: "0f", count: 32)
        let result = try runProver(["config", "check"], environment: [
            "PROVER_WORKERS": "cpu=2,gpu=1", "PROVER_API_KEYS": "ci=\(digest)", "PROVER_HOST": "0.0.0.0", "PROVER_TYPO": "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let config = try effective(result)
        #expect((config["workers"] as? [String: Int]) == ["cpu": 2, "gpu": 1])
        #expect(config["host"] as? String == "0.0.0.0")
        #expect(result.stderr.contains("unknown environment variable PROVER_TYPO"))
        let bare = try runProver(["config", "check"], environment: ["PROVER_WORKERS": "4", "PROVER_API_KEYS": #"{"a": "\#(digest)"}"#])
        #expect((try effective(bare)["workers"] as? [String: Int]) == ["cpu": 4])
    }

    @Test(arguments: [
        (["PROVER_PORT": "eighty"], "PROVER_PORT: port must be an integer"),
        (["PROVER_PORT": "70000"], "port 70000 is not in 0…65535"),
        (["PROVER_WORKERS": "cpu=many"], "PROVER_WORKERS"),
        (["PROVER_CHECKPOINT_RUNNER": "maybe"], "PROVER_CHECKPOINT_RUNNER: checkpoint_runner must be true or false"),
        (["PROVER_LOG_LEVEL": "loud"], "log_level"),
        (["PROVER_CHAIN_RPC": "ftp://x"], "chain_rpc must be an http(s) URL"),
        (["PROVER_HOST": "0.0.0.0"], "api_keys must not be empty"),
        (["PROVER_API_KEYS": "ci=SECRETDIGEST"], "api_keys.ci must be 64 lowercase hex digits"),
        (["PROVER_DATA_DIR": "/a", "PROVER_DATA_DIRECTORY": "/b"], "set one"),
    ])
    func badEnvironmentExitsNonZeroNamingTheKey(environment: [String: String], mention: String) throws {
        let result = try runProver(["config", "check"], environment: environment)
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
        #expect(!result.stderr.contains("SECRETDIGEST"))
    }

    @Test func badFileExitsNonZeroNamingTheKey() throws {
        let typo = try writeConfig(["prot": 1])
        let unknown = try runProver(["config", "check", "--config", typo], environment: [:])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown key \"prot\""), "\(unknown.stderr)")
        let wrongType = try writeConfig(["workers": "two"])
        let typed = try runProver(["config", "check"], environment: ["PROVER_CONFIG": wrongType])
        #expect(typed.status != 0)
        #expect(typed.stderr.contains("workers must be a map of integers"), "\(typed.stderr)")
        let missing = try runProver(["config", "check", "--config", "/nonexistent/prover.json"], environment: [:])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read /nonexistent/prover.json"))
    }

    /// `prover serve` reads the same layers; its flags override the environment.
    @Test func serveFlagsOverrideTheEnvironment() throws {
        let directory = try temporaryDirectory("prover-config-serve")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let refused = try runProver(["serve", "--port", "0"], environment: ["PROVER_HOST": "0.0.0.0"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("api_keys"))
        // The flag wins over PROVER_HOST and PROVER_PORT; PROVER_DATA_DIR is used.
        let server = try ProverServer(
            ["serve", "--host", "127.0.0.1", "--port", "0", "--stark-profile", "test-insecure"], directory: directory,
            environment: ["PROVER_HOST": "0.0.0.0", "PROVER_PORT": "1", "PROVER_DATA_DIR": "\(directory)/state"])
        defer { server.stop() }
        #expect(server.port > 1, "\(server.log)")
        #expect(FileManager.default.fileExists(atPath: "\(directory)/state/tasks.sqlite"))
    }
}
