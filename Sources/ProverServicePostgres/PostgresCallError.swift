/// Why a PostgreSQL call failed on the client side: the connection was already closed (the
/// server restarted or ended the session), or the call did not answer within the store's
/// `call_timeout`. Either way the connection is closed and discarded; operations report it as
/// `ProverServiceError.storage` with this error's description.
struct PostgresCallError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case connectionClosed = "connection_closed"
        case timedOut = "timed_out"
    }

    private let code: Code
    /// What was running; not part of equality.
    let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    var description: String { "\(code.rawValue): \(detail)" }
    static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A statement was about to go to a connection that is closed.
    static func connectionClosed(_ detail: String) -> Self { Self(.connectionClosed, detail) }
    /// A call did not answer before its deadline.
    static func timedOut(_ detail: String) -> Self { Self(.timedOut, detail) }

    static let connectionClosed = Self(.connectionClosed, "")
    static let timedOut = Self(.timedOut, "")
}
