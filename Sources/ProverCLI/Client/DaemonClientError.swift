import Foundation

/// Why a client verb failed. The daemon's structured errors keep their stable `code`,
/// `message` and `retryable`; a daemon that cannot be reached says so with its URL.
enum DaemonClientError: Error, CustomStringConvertible {
    /// Nothing answered at the URL (connection refused, unknown host, connection lost).
    case unreachable(String, String)
    /// No answer within the request time limit.
    case timedOut(String, TimeInterval)
    /// The daemon answered with an error: HTTP status, stable code, message, retryable.
    case api(status: Int, code: String, message: String, retryable: Bool)
    /// The daemon answered something this client does not understand.
    case badResponse(String)
    /// A bad argument, refused before any request.
    case invalidArgument(String)

    /// Whether the daemon said the same request may succeed later.
    var retryable: Bool {
        if case .api(_, _, _, let retryable) = self { return retryable }
        return false
    }

    var description: String {
        switch self {
        case .unreachable(let url, let reason): "the daemon is not reachable at \(url) (\(reason)); is `prover serve` running?"
        case .timedOut(let url, let seconds): "the daemon at \(url) did not answer within \(Int(seconds)) s"
        case .api(let status, let code, let message, let retryable):
            "\(code) (HTTP \(status)): \(message)\(retryable ? " [retryable]" : "")"
        case .badResponse(let detail): "unexpected answer from the daemon: \(detail)"
        case .invalidArgument(let detail): detail
        }
    }

    /// The error of a non-2xx reply: the daemon's `{code, message, retryable}` body, or the
    /// status alone when the body is something else (e.g. a proxy's page).
    static func from(_ reply: DaemonClient.Reply) -> DaemonClientError {
        if let object = try? JSONSerialization.jsonObject(with: reply.body) as? [String: Any],
            let code = object["code"] as? String
        {
            var message = object["message"] as? String ?? ""
            if let field = object["field"] as? String { message += " (field \(field))" }
            if let after = reply.headers["retry-after"] { message += "; retry after \(after) s" }
            return .api(status: reply.status, code: code, message: message, retryable: object["retryable"] as? Bool ?? false)
        }
        let text = String(decoding: reply.body.prefix(200), as: UTF8.self)
        return .api(status: reply.status, code: "http_\(reply.status)", message: text, retryable: reply.status >= 500)
    }
}
