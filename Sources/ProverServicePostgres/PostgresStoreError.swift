import NIOCore
import PostgresNIO
import ProverService

/// Why a ``PostgresStore`` could not open (bad URL, unreachable server, wrong credentials,
/// missing database, a schema written by a newer build). Compare by code (`==`); ``detail``
/// says what to fix. Failures of operations after the start are `ProverServiceError.storage`.
public struct PostgresStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case invalidURL = "invalid_url"
        case unreachable = "unreachable"
        case authenticationFailed = "authentication_failed"
        case databaseMissing = "database_missing"
        case schemaTooNew = "schema_too_new"
        case server = "server_error"
    }

    private let code: Code
    /// Human-readable detail; not part of equality.
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The stable, machine-readable code, e.g. `"authentication_failed"`.
    public var codeString: String { code.rawValue }
    public var description: String { "PostgresStoreError.\(code.rawValue): \(detail)" }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The URL cannot be parsed or has an unsupported option.
    public static func invalidURL(_ detail: String) -> Self { Self(.invalidURL, detail) }
    /// No server answers at the URL's host and port (or it closed the connection).
    public static func unreachable(_ detail: String) -> Self { Self(.unreachable, detail) }
    /// The server refused the user name or password.
    public static func authenticationFailed(_ detail: String) -> Self { Self(.authenticationFailed, detail) }
    /// The database in the URL does not exist.
    public static func databaseMissing(_ detail: String) -> Self { Self(.databaseMissing, detail) }
    /// The tables were written by a newer build of this software.
    public static func schemaTooNew(_ detail: String) -> Self { Self(.schemaTooNew, detail) }
    /// Any other error the server reported.
    public static func server(_ detail: String) -> Self { Self(.server, detail) }

    /// Matches codes regardless of detail (`error == .unreachable`).
    public static let invalidURL = Self(.invalidURL, "")
    public static let unreachable = Self(.unreachable, "")
    public static let authenticationFailed = Self(.authenticationFailed, "")
    public static let databaseMissing = Self(.databaseMissing, "")
    public static let schemaTooNew = Self(.schemaTooNew, "")
    public static let server = Self(.server, "")
}

/// Turning postgres-nio's errors (whose `description` hides everything) into messages.
enum PostgresErrors {
    /// The SQLSTATE of a server error, if it is one.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the connection that produced `error` is unusable.
    static func isConnectionLost(_ error: any Error) -> Bool {
        if error is PostgresCallError { return true }
        guard let error = error as? PSQLError else { return error is ChannelError || error is IOError }
        switch error.code {
        case .server: return sqlState(error)?.hasPrefix("57P") ?? false  // admin shutdown, crash, cannot connect now
        case .queryCancelled, .tooManyParameters, .invalidCommandTag: return false
        default: return true
        }
    }

    /// A one-line explanation.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            let state = info[.sqlState] ?? "?"
            let message = info[.message] ?? "server error"
            let detail = info[.detail].map { " (\($0))" } ?? ""
            return "\(message)\(detail) [SQLSTATE \(state)]"
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    /// The error of an operation after the start.
    static func storage(_ error: any Error, _ what: String) -> ProverServiceError {
        if let error = error as? ProverServiceError { return error }
        return ProverServiceError.storage.with("PostgreSQL \(what): \(describe(error))")
    }

    /// The error of opening the store at `url`.
    static func opening(_ error: any Error, _ url: PostgresURL) -> any Error {
        if error is PostgresStoreError || error is ProverServiceError { return error }
        let where_ = "\(url.user)@\(url.host):\(url.port)/\(url.database)"
        switch sqlState(error) {
        case "28P01", "28000":
            return PostgresStoreError.authenticationFailed("PostgreSQL at \(where_) refused the credentials: \(describe(error))")
        case "3D000":
            return PostgresStoreError.databaseMissing("\(where_): \(describe(error)); create it first (createdb)")
        case .some:
            return PostgresStoreError.server("\(where_): \(describe(error))")
        case nil:
            return PostgresStoreError.unreachable("cannot reach PostgreSQL at \(url.host):\(url.port): \(describe(error))")
        }
    }
}
