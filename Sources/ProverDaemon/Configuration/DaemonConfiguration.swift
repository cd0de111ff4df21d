import Foundation
public import ProverCore

/// Everything `prover serve` can be told, with embedded defaults: SQLite under
/// `./prover-data`, plugins next to the executable, 127.0.0.1:4844 (docs/daemon.md).
/// A JSON file (`prover serve --config FILE`) overrides any subset, by the snake_case keys below.
public struct DaemonConfiguration: Sendable, Codable, Equatable {
    /// Address to bind. Anything but a loopback address requires API keys.
    public var host = "127.0.0.1"
    public var port = 4844
    /// Directory for the SQLite store (created if missing).
    public var dataDirectory = "./prover-data"
    /// A `postgres://user:password@host:port/database[?schema=…]` URL: tasks and proofs in
    /// PostgreSQL, shared with other nodes (docs/orchestration.md). Nil: SQLite in `dataDirectory`.
    public var storeURL: String?
    /// Directory scanned for plugins; nil means the directory of the executable.
    public var pluginDirectory: String?
    /// The embedded devnet chain: its seed and number of checkpoints.
    public var devnetSeed: UInt64 = 1
    public var devnetCheckpoints = 4
    /// An external chain source speaking the devnet's JSON-RPC methods (`prover devnet serve`),
    /// e.g. `http://127.0.0.1:8545`; nil means the embedded devnet.
    public var chainRPC: String?
    /// Prove the chain's checkpoints in order and hand the proofs back (needs the checkpoint
    /// plugin); poll interval in seconds.
    public var checkpointRunner = true
    public var checkpointPollSeconds = 5.0
    /// Worker threads per backend. Default: one `cpu` worker per core; each proof takes its
    /// prover threads from a shared budget (all cores alone, one each when all workers are busy).
    public var workers: [String: Int] = ["cpu": ProcessorInfo.activeCores]
    /// API keys as lowercase hex BLAKE3 digests of the bearer tokens (`prover serve
    /// --hash-api-key TOKEN` prints one), by key name. Empty: no authentication (loopback only).
    public var apiKeys: [String: String] = [:]
    /// Per-key rate limit: sustained requests per second and burst size.
    public var rateLimitPerSecond = 50.0
    public var rateLimitBurst = 100
    /// Largest accepted request body, in bytes.
    public var maxBodyBytes = 1 << 20
    /// Unfinished tasks (pending, waiting, queued, retrying) beyond which submissions get
    /// 503 `queue_full`.
    public var maxQueueDepth = 10_000
    /// Time limit of one HTTP request (not of a proof), in seconds.
    public var requestTimeoutSeconds = 30.0
    /// Per-task proving timeout in seconds; nil means none.
    public var taskTimeoutSeconds: Double?
    /// Finished tasks older than this are pruned (hourly); nil keeps everything.
    public var retentionDays: Double? = 30
    /// STARK parameter profile for the built-in proof types: "default" or "test-insecure".
    public var starkProfile = "default"
    /// How long SIGTERM/SIGINT waits for in-flight proofs before requeueing them.
    public var shutdownGraceSeconds = 30.0
    /// swift-log level of the daemon's log: trace, debug, info, notice, warning, error, critical.
    public var logLevel = "info"

    public init() {}

    enum CodingKeys: String, CodingKey {
        case host, port, workers
        case dataDirectory = "data_directory"
        case storeURL = "store"
        case pluginDirectory = "plugin_directory"
        case devnetSeed = "devnet_seed"
        case devnetCheckpoints = "devnet_checkpoints"
        case chainRPC = "chain_rpc"
        case checkpointRunner = "checkpoint_runner"
        case checkpointPollSeconds = "checkpoint_poll_seconds"
        case apiKeys = "api_keys"
        case rateLimitPerSecond = "rate_limit_per_second"
        case rateLimitBurst = "rate_limit_burst"
        case maxBodyBytes = "max_body_bytes"
        case maxQueueDepth = "max_queue_depth"
        case requestTimeoutSeconds = "request_timeout_seconds"
        case taskTimeoutSeconds = "task_timeout_seconds"
        case retentionDays = "retention_days"
        case starkProfile = "stark_profile"
        case shutdownGraceSeconds = "shutdown_grace_seconds"
        case logLevel = "log_level"
    }

    /// Missing keys keep their defaults; unknown keys are refused (a typo must not be ignored).
    public init(from decoder: any Decoder) throws {
        let known = Set(CodingKeys.allStringValues)
        let any = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = any.allKeys.map(\.stringValue).first(where: { !known.contains($0) }) {
            throw DaemonError.invalidConfiguration("unknown key \"\(unknown)\"")
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var d = DaemonConfiguration()
        d.host = try c.decodeIfPresent(String.self, forKey: .host) ?? d.host
        d.port = try c.decodeIfPresent(Int.self, forKey: .port) ?? d.port
        d.dataDirectory = try c.decodeIfPresent(String.self, forKey: .dataDirectory) ?? d.dataDirectory
        d.storeURL = try c.decodeIfPresent(String.self, forKey: .storeURL)
        d.pluginDirectory = try c.decodeIfPresent(String.self, forKey: .pluginDirectory)
        d.devnetSeed = try c.decodeIfPresent(UInt64.self, forKey: .devnetSeed) ?? d.devnetSeed
        d.devnetCheckpoints = try c.decodeIfPresent(Int.self, forKey: .devnetCheckpoints) ?? d.devnetCheckpoints
        d.chainRPC = try c.decodeIfPresent(String.self, forKey: .chainRPC)
        d.checkpointRunner = try c.decodeIfPresent(Bool.self, forKey: .checkpointRunner) ?? d.checkpointRunner
        d.checkpointPollSeconds = try c.decodeIfPresent(Double.self, forKey: .checkpointPollSeconds) ?? d.checkpointPollSeconds
        d.workers = try c.decodeIfPresent([String: Int].self, forKey: .workers) ?? d.workers
        d.apiKeys = try c.decodeIfPresent([String: String].self, forKey: .apiKeys) ?? d.apiKeys
        d.rateLimitPerSecond = try c.decodeIfPresent(Double.self, forKey: .rateLimitPerSecond) ?? d.rateLimitPerSecond
        d.rateLimitBurst = try c.decodeIfPresent(Int.self, forKey: .rateLimitBurst) ?? d.rateLimitBurst
        d.maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? d.maxBodyBytes
        d.maxQueueDepth = try c.decodeIfPresent(Int.self, forKey: .maxQueueDepth) ?? d.maxQueueDepth
        d.requestTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .requestTimeoutSeconds) ?? d.requestTimeoutSeconds
        d.taskTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .taskTimeoutSeconds)
        d.retentionDays = try c.decodeIfPresent(Double.self, forKey: .retentionDays) ?? d.retentionDays
        d.starkProfile = try c.decodeIfPresent(String.self, forKey: .starkProfile) ?? d.starkProfile
        d.shutdownGraceSeconds = try c.decodeIfPresent(Double.self, forKey: .shutdownGraceSeconds) ?? d.shutdownGraceSeconds
        d.logLevel = try c.decodeIfPresent(String.self, forKey: .logLevel) ?? d.logLevel
        self = d
    }

    /// Reads a JSON configuration file.
    public static func load(path: String) throws(DaemonError) -> DaemonConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DaemonError.invalidConfiguration("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(DaemonConfiguration.self, from: data)
        } catch let error as DaemonError {
            throw DaemonError.invalidConfiguration("\(path): \(error.detail)")
        } catch {
            throw DaemonError.invalidConfiguration("\(path): \(error)")
        }
    }

    /// The accepted `log_level`s (swift-log's levels).
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Whether `host` only listens on this machine.
    public var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") }

    /// The STARK parameters of `starkProfile`.
    public var starkParameters: StarkParameters? { StarkParameters.profiles[starkProfile] }

    /// Refuses unsafe or impossible settings with a message naming the key.
    public func validate() throws(DaemonError) {
        guard (0...65535).contains(port) else { throw .invalidConfiguration("port \(port) is not in 0…65535") }
        guard isLoopback || !apiKeys.isEmpty else {
            throw .invalidConfiguration("host \(host) listens beyond loopback: api_keys must not be empty")
        }
        for (name, digest) in apiKeys {
            guard digest.count == 64, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw .invalidConfiguration("api_keys.\(name) must be 64 lowercase hex digits (a BLAKE3 digest)")
            }
        }
        guard !workers.isEmpty, workers.values.allSatisfy({ (1...256).contains($0) }) else {
            throw .invalidConfiguration("workers must give 1…256 threads per backend")
        }
        guard (1...1000).contains(devnetCheckpoints) else { throw .invalidConfiguration("devnet_checkpoints must be in 1…1000") }
        if let chainRPC {
            guard let url = URL(string: chainRPC), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw .invalidConfiguration("chain_rpc must be an http(s) URL")
            }
        }
        guard checkpointPollSeconds >= 0.01 else { throw .invalidConfiguration("checkpoint_poll_seconds must be at least 0.01") }
        guard rateLimitPerSecond > 0, rateLimitBurst >= 1 else { throw .invalidConfiguration("rate limits must be positive") }
        guard maxBodyBytes >= 1024, maxBodyBytes <= 1 << 30 else { throw .invalidConfiguration("max_body_bytes must be in 1 KiB…1 GiB") }
        guard maxQueueDepth >= 1 else { throw .invalidConfiguration("max_queue_depth must be at least 1") }
        guard requestTimeoutSeconds > 0 else { throw .invalidConfiguration("request_timeout_seconds must be positive") }
        guard Self.logLevels.contains(logLevel) else {
            throw .invalidConfiguration("log_level \"\(logLevel.prefix(32))\": use \(Self.logLevels.joined(separator: ", "))")
        }
        if let storeURL, !(storeURL.hasPrefix("postgres://") || storeURL.hasPrefix("postgresql://")) {
            throw .invalidConfiguration("store must be a postgres:// URL (omit it for SQLite in data_directory)")
        }
        guard starkParameters != nil else {
            throw .invalidConfiguration("stark_profile \"\(starkProfile)\": use \(StarkParameters.profiles.keys.sorted().joined(separator: " or "))")
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension DaemonConfiguration.CodingKeys: CaseIterable {
    static var allStringValues: [String] { allCases.map(\.rawValue) }
}
