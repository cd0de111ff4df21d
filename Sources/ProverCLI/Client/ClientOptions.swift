import ArgumentParser
import Foundation

/// Where the daemon is and how to authenticate, shared by the client verbs (`prover submit`,
/// `status`, `wait`, `get`, `cancel`, `list`).
struct ClientOptions: ParsableArguments {
    /// The default daemon address (`prover serve`'s embedded default).
    static let defaultURL = "http://127.0.0.1:4844"

    @Option(help: "The daemon's URL (default $PROVER_URL, else \(ClientOptions.defaultURL)).")
    var url: String?

    @Option(help: "Bearer token for the daemon's API keys (default $PROVER_API_KEY).")
    var apiKey: String?

    @Option(help: "Time limit of one HTTP request, in seconds.")
    var requestTimeout: Double = 30

    func validate() throws {
        guard requestTimeout > 0 else { throw ValidationError("--request-timeout must be positive") }
        _ = try baseURL()
    }

    func baseURL() throws -> URL {
        let text = url ?? ProcessInfo.processInfo.environment["PROVER_URL"] ?? Self.defaultURL
        guard let parsed = URL(string: text), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw ValidationError("--url must be an http(s) URL, got \"\(text)\"")
        }
        return parsed
    }

    func client() throws -> DaemonClient {
        let environment = ProcessInfo.processInfo.environment["PROVER_API_KEY"]
        let token = apiKey ?? (environment?.isEmpty == false ? environment : nil)
        var client = DaemonClient(baseURL: try baseURL(), token: token)
        client.requestTimeout = requestTimeout
        return client
    }
}
