import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small client of a running daemon's REST API (docs/api.md) over URLSession: bearer
/// authentication, JSON in and out, and the daemon's structured errors turned into
/// `DaemonClientError`s.
struct DaemonClient: Sendable {
    /// The daemon's base URL, e.g. `http://127.0.0.1:4844`.
    let baseURL: URL
    /// The bearer token, if any. Never printed.
    let token: String?
    /// Time limit of one request.
    var requestTimeout: TimeInterval = 30

    /// One answer: status, body and (lowercased) headers.
    struct Reply: Sendable {
        let status: Int
        let body: Data
        let headers: [String: String]

        /// The body as a JSON object.
        func object() throws(DaemonClientError) -> [String: Any] {
            guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw .badResponse("expected a JSON object, got \(body.count) bytes")
            }
            return object
        }
    }

    /// Sends one request; any status other than 2xx becomes `DaemonClientError.api` (with the
    /// daemon's `{code, message, retryable}` when the body has them), a transport failure
    /// becomes `.unreachable`.
    func send(_ method: String, _ path: String, json: Any? = nil) async throws(DaemonClientError) -> Reply {
        guard let url = URL(string: path, relativeTo: baseURL) else { throw .badResponse("bad path \(path)") }
        var request = URLRequest(url: url, timeoutInterval: requestTimeout)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let json {
            do {
                request.httpBody = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
            } catch {
                throw .badResponse("cannot encode the request: \(error)")
            }
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let answer: (Data, URLResponse)
        do {
            answer = try await URLSession.shared.data(for: request)
        } catch let error as URLError where error.code == .timedOut {
            throw .timedOut(baseURL.absoluteString, requestTimeout)
        } catch {
            throw .unreachable(baseURL.absoluteString, Self.reason(error))
        }
        let (data, response) = answer
        guard let http = response as? HTTPURLResponse else { throw .badResponse("not an HTTP response") }
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)".lowercased()] = "\(v)" }
        let reply = Reply(status: http.statusCode, body: data, headers: headers)
        guard (200..<300).contains(http.statusCode) else { throw DaemonClientError.from(reply) }
        return reply
    }

    /// A short reason for a transport failure.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? URLError else { return "\(error)" }
        switch error.code {
        case .cannotConnectToHost: return "connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        case .networkConnectionLost: return "connection lost"
        default: return error.localizedDescription
        }
    }

    // MARK: Endpoints

    func submit(type: String, context: Any, backend: String?, priority: Int?) async throws(DaemonClientError) -> [String: Any] {
        var body: [String: Any] = ["type": type, "context": context]
        if let backend { body["backend"] = backend }
        if let priority { body["priority"] = priority }
        return try await send("POST", "/v1/tasks", json: body).object()
    }

    func task(_ id: String) async throws(DaemonClientError) -> [String: Any] {
        try await send("GET", "/v1/tasks/\(try Self.checked(id))").object()
    }

    func cancel(_ id: String) async throws(DaemonClientError) -> [String: Any] {
        try await send("POST", "/v1/tasks/\(try Self.checked(id))/cancel").object()
    }

    func proof(_ id: String) async throws(DaemonClientError) -> Data {
        try await send("GET", "/v1/tasks/\(try Self.checked(id))/proof").body
    }

    func receipt(_ id: String) async throws(DaemonClientError) -> Reply {
        try await send("GET", "/v1/tasks/\(try Self.checked(id))/receipt")
    }

    /// `GET /v1/tasks` with the given query items.
    func list(_ query: [URLQueryItem]) async throws(DaemonClientError) -> [String: Any] {
        var components = URLComponents()
        components.path = "/v1/tasks"
        components.queryItems = query.isEmpty ? nil : query
        return try await send("GET", components.string ?? "/v1/tasks").object()
    }

    /// Refuses what cannot be a task id before it goes into a path (32 lowercase hex digits).
    static func checked(_ id: String) throws(DaemonClientError) -> String {
        guard id.count == 32, id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw .invalidArgument("task id must be 32 lowercase hex digits, got \"\(id.prefix(64))\"")
        }
        return id
    }
}
