public import Devnet
public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A chain source over HTTP JSON-RPC 2.0: an external node (or `prover devnet serve`) that
/// answers the devnet's methods (`chain_getInfo`, `chain_getExecBlock`, `chain_getL2Block`,
/// `chain_getCheckpoint`, `chain_submitCheckpointProof`) with the same params and results.
///
/// `fetch` is synchronous, as `ChainSource` requires: it blocks the calling thread (a proving
/// thread, or a dispatch thread the `ChainClient` hops to) for at most `attempts` × `timeout`
/// plus the backoff. Transport failures (refused, reset, timed out) and HTTP 502/503/504 are
/// retried after 0.1 s, 0.2 s, …; when every attempt fails the error is
/// `ChainError(.unavailable, …)`. A JSON-RPC error keeps the source's kind (`error.data.kind`:
/// `not_found`, `invalid_request`, `unavailable`; by code when absent) and is not retried.
public final class JSONRPCChainSource: ChainSource {
    /// The endpoint, e.g. `http://127.0.0.1:8545`.
    public let url: URL
    /// Time limit of one attempt, in seconds.
    public let timeout: TimeInterval
    /// Attempts per call (≥ 1).
    public let attempts: Int
    private let session: URLSession
    private let nextID = Atomic<Int>(1)

    public init(url: URL, timeout: TimeInterval = 5, attempts: Int = 3) {
        self.url = url
        self.timeout = timeout
        self.attempts = max(1, attempts)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// The URL without credentials, for messages.
    public var displayURL: String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false), components.user != nil else { return url.absoluteString }
        components.user = nil
        components.password = nil
        return components.string ?? "the chain source"
    }

    public func fetch(method: String, params: [UInt8]) throws(ChainError) -> [UInt8] {
        let paramsObject: Any
        if params.isEmpty {
            paramsObject = [String: Any]()
        } else {
            guard let parsed = try? JSONSerialization.jsonObject(with: Data(params)) else {
                throw ChainError(.invalidRequest, "\(method): params are not JSON")
            }
            paramsObject = parsed
        }
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: ["jsonrpc": "2.0", "id": id, "method": method, "params": paramsObject])
        } catch {
            throw ChainError(.invalidRequest, "\(method): cannot encode the params: \(error)")
        }
        var failure = ""
        for attempt in 0..<attempts {
            if attempt > 0 { Thread.sleep(forTimeInterval: 0.1 * Double(1 << (attempt - 1))) }
            switch post(body) {
            case .failure(let reason):
                failure = reason
            case .success(let status, let data) where [502, 503, 504].contains(status):
                failure = "HTTP \(status)\(data.isEmpty ? "" : ": \(String(decoding: data.prefix(120), as: UTF8.self))")"
            case .success(let status, let data):
                return try answer(method: method, status: status, data: data)
            }
        }
        throw ChainError(.unavailable, "\(method): the chain source \(displayURL) is unreachable (\(failure); \(attempts) attempt\(attempts == 1 ? "" : "s"))")
    }

    /// The result of a JSON-RPC answer, re-encoded as the devnet encodes it, or its error.
    private func answer(method: String, status: Int, data: Data) throws(ChainError) -> [UInt8] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ChainError(.unavailable, "\(method): the chain source answered HTTP \(status) without a JSON-RPC object")
        }
        if let error = object["error"] as? [String: Any] {
            let message = error["message"] as? String ?? "error"
            let kind = ((error["data"] as? [String: Any])?["kind"] as? String).flatMap(ChainError.Kind.init(rawValue:))
            let code = error["code"] as? Int ?? -32000
            throw ChainError(kind ?? Self.kind(forCode: code), message)
        }
        guard let result = object["result"] else {
            throw ChainError(.unavailable, "\(method): the chain source's answer has neither result nor error")
        }
        do {
            return Array(try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys, .fragmentsAllowed]))
        } catch {
            throw ChainError(.unavailable, "\(method): cannot re-encode the result: \(error)")
        }
    }

    /// The kind of a JSON-RPC error code without `data.kind`.
    static func kind(forCode code: Int) -> ChainError.Kind {
        switch code {
        case ChainRPCCodes.notFound: .notFound
        case -32700, -32600, -32601, -32602: .invalidRequest
        default: .unavailable
        }
    }

    private enum Outcome {
        case success(Int, Data)
        case failure(String)
    }

    /// One POST, waited for on this thread (URLSession calls back on its own queue).
    private func post(_ body: Data) -> Outcome {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let done = DispatchSemaphore(value: 0)
        let box = OutcomeBox()
        session.dataTask(with: request) { data, response, error in
            if let error {
                box.set(.failure(Self.reason(error)))
            } else if let http = response as? HTTPURLResponse {
                box.set(.success(http.statusCode, data ?? Data()))
            } else {
                box.set(.failure("not an HTTP response"))
            }
            done.signal()
        }.resume()
        // The session's own timeout ends the task; the extra second only guards against a lost callback.
        if done.wait(timeout: .now() + timeout + 1) == .timedOut { return .failure("no answer within \(timeout) s") }
        return box.get() ?? .failure("no answer")
    }

    private static func reason(_ error: any Error) -> String {
        guard let error = error as? URLError else { return "\(error)" }
        switch error.code {
        case .cannotConnectToHost: return "connection refused"
        case .timedOut: return "timed out"
        case .networkConnectionLost: return "connection lost"
        case .cannotFindHost, .dnsLookupFailed: return "unknown host"
        default: return error.localizedDescription
        }
    }

    private final class OutcomeBox: Sendable {
        private let value = Mutex<Outcome?>(nil)
        func set(_ outcome: Outcome) { value.withLock { $0 = outcome } }
        func get() -> Outcome? { value.withLock { $0 } }
    }
}

/// JSON-RPC error codes of the chain methods beside the standard ones (−32700 parse, −32600
/// invalid request, −32601 unknown method, −32602 invalid params).
public enum ChainRPCCodes {
    /// The block or checkpoint does not exist (`ChainError.Kind.notFound`).
    public static let notFound = -32004
    /// The source is unavailable (`ChainError.Kind.unavailable`).
    public static let unavailable = -32000
}
