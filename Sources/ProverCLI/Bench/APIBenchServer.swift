import Foundation
import ProverBench

/// The `prover serve` child process `prover bench api` measures: this executable, on a fresh
/// temporary directory and a free port, logging to a file there (a pipe nobody drains would
/// stall it).
final class APIBenchServer {
    let process = Process()
    let directory: URL
    private(set) var port = 0

    static func start() throws -> APIBenchServer {
        let server = try APIBenchServer()
        do {
            try server.waitListening(seconds: 60)
        } catch {
            server.stop()
            throw error
        }
        return server
    }

    private init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prover-bench-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration: [String: Any] = [
            "port": 0, "data_directory": directory.appendingPathComponent("data").path, "checkpoint_runner": false,
            "stark_profile": "test-insecure", "rate_limit_per_second": 1e9, "rate_limit_burst": 1_000_000_000,
            "max_queue_depth": 10_000_000, "shutdown_grace_seconds": 1, "workers": ["cpu": 1],
        ]
        let config = directory.appendingPathComponent("prover.json")
        try JSONSerialization.data(withJSONObject: configuration).write(to: config)
        let log = directory.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["serve", "--config", config.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
    }

    private var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("serve.log"), encoding: .utf8)) ?? ""
    }

    private func waitListening(seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let range = log.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression),
                let found = Int(log[range].split(separator: ":").last ?? "")
            {
                port = found
                return
            }
            guard process.isRunning else { throw BenchAPIError(message: "prover serve exited: \(log)") }
            usleep(20_000)
        }
        throw BenchAPIError(message: "prover serve did not listen within \(Int(seconds)) s: \(log)")
    }

    private func getJSON(_ path: String) throws -> [String: Any] {
        let response = try LoopbackHTTPClient(port: port).send("GET", path)
        guard response.status == 200, let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw BenchAPIError(message: "GET \(path): HTTP \(response.status)")
        }
        return object
    }

    /// Ids of up to `limit` stored tasks.
    func listIDs(limit: Int) throws -> [String] {
        let tasks = (try getJSON("/v1/tasks?limit=\(limit)")["tasks"] as? [[String: Any]]) ?? []
        let ids = tasks.compactMap { $0["id"] as? String }
        guard !ids.isEmpty else { throw BenchAPIError(message: "the server lists no tasks") }
        return ids
    }

    /// Waits until no task is queued or proving.
    func waitIdle(seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let health = try getJSON("/healthz")
            if health["queue_depth"] as? Int == 0, health["workers_busy"] as? Int == 0 { return }
            usleep(20_000)
        }
        throw BenchAPIError(message: "the seed tasks were not proven within \(Int(seconds)) s")
    }

    /// SIGTERM, wait, and remove the directory.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
