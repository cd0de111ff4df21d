import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real `prover serve` process (a `ProverServer`) in a directory of its own, on a free port,
/// with the insecure test STARK profile, and HTTP helpers for its API.
final class ServerProcess {
    let server: ProverServer
    var process: Process { server.process }
    var port: Int { server.port }

    /// Starts the server in `directory` (created if missing) and waits until it listens.
    /// `configuration` is written to `directory/prover.json` and passed with `--config`.
    init(directory: String, configuration: [String: Any]? = nil, extra: [String] = []) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var arguments = ["serve", "--port", "0", "--stark-profile", "test-insecure"]
        if let configuration {
            let path = directory + "/prover.json"
            try JSONSerialization.data(withJSONObject: configuration).write(to: URL(fileURLWithPath: path))
            arguments += ["--config", path]
        }
        server = try ProverServer(arguments + extra, directory: directory)
    }

    /// A session of these tests' own: the shared one also carries other suites' long requests.
    static let session = URLSession(configuration: .ephemeral)

    /// One request; the body as bytes.
    func request(_ method: String, _ path: String, json: Any? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await Self.session.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, data)
    }

    /// One request whose answer is a JSON object (empty when it is not).
    func call(_ method: String, _ path: String, json: Any? = nil) async throws -> (Int, [String: Any]) {
        let (status, data) = try await request(method, path, json: json)
        return (status, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
    }

    /// Polls a task until it is completed, failed or cancelled (or `seconds` pass).
    func waitFinal(_ id: String, seconds: Double = 120) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        var task: [String: Any] = [:]
        while Date() < deadline {
            task = try await call("GET", "/v1/tasks/\(id)").1
            if ["completed", "failed", "cancelled"].contains(task["state"] as? String ?? "") { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        return task
    }

    /// SIGTERM, then waits for the exit; returns the exit status.
    func terminate() -> Int32 { server.stop() }

    /// SIGKILL: no drain, no cleanup.
    func kill() { server.kill() }
}
