import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ProverDaemon
import Synchronization

/// A real daemon on a free loopback port with its own data directory, for one test.
final class DaemonHarness: Sendable {
    let port: Int
    let directory: String
    private let task: Task<Void, any Error>

    let daemon: ProverDaemon

    /// `prepare` runs on the daemon before it starts serving (e.g. to begin a chain outage).
    static func start(
        _ adjust: (inout DaemonConfiguration) -> Void = { _ in }, prepare: (ProverDaemon) -> Void = { _ in }
    ) async throws -> DaemonHarness {
        var configuration = DaemonConfiguration()
        configuration.port = 0
        configuration.starkProfile = "test-insecure"
        configuration.dataDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("prover-daemon-\(UUID().uuidString)").path
        configuration.shutdownGraceSeconds = 2
        configuration.checkpointRunner = false
        adjust(&configuration)
        let daemon = try ProverDaemon(configuration: configuration)
        prepare(daemon)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await daemon.run { port in continuation.yield(port) } }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw URLError(.cannotConnectToHost) }
        let harness = DaemonHarness(daemon: daemon, port: port, directory: configuration.dataDirectory, task: task)
        // Wait until the service is ready.
        for _ in 0..<200 {
            if (try? await harness.request("GET", "/readyz").status) == 200 { return harness }
            try await Task.sleep(for: .milliseconds(10))
        }
        return harness
    }

    private init(daemon: ProverDaemon, port: Int, directory: String, task: Task<Void, any Error>) {
        self.daemon = daemon
        self.port = port
        self.directory = directory
        self.task = task
    }

    func stop() async {
        task.cancel()
        _ = await task.result
        try? FileManager.default.removeItem(atPath: directory)
    }

    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
        var code: String? { json["code"] as? String }
    }

    func request(_ method: String, _ path: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if body != nil, headers["Content-Type"] == nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields { fields["\(k)".lowercased()] = "\(v)" }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    func post(_ path: String, json: Any, headers: [String: String] = [:]) async throws -> Reply {
        try await request("POST", path, body: try JSONSerialization.data(withJSONObject: json), headers: headers)
    }

    /// Polls a task until it reaches a final state.
    func waitFinal(_ id: String, timeout: Duration = .seconds(60)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let reply = try await request("GET", "/v1/tasks/\(id)")
            if let state = reply.json["state"] as? String, ["completed", "failed", "cancelled"].contains(state) { return reply.json }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw URLError(.timedOut)
    }
}

import Glibc

extension DaemonHarness {
    /// Sends raw bytes on a fresh loopback connection and reads until `until` appears in the
    /// answer, the peer closes, or `timeout` passes — for what URLSession cannot send or read
    /// incrementally (chunked bodies, event streams). Returns what was read.
    func raw(_ request: String, chunks: [String] = [], until marker: String? = nil, timeout: Double = 10) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw URLError(.cannotConnectToHost) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw URLError(.cannotConnectToHost) }
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        for part in [request] + chunks {
            _ = part.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { break }
            if n > 0 { received += buffer[0..<n] }
            if let marker, String(decoding: received, as: UTF8.self).contains(marker) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }
}
