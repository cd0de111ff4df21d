import Foundation

/// A parsed `postgres://user:password@host:port/database?schema=…&pool=…` URL.
///
/// Query options: `schema` (the PostgreSQL schema holding the tables, created if missing;
/// default `public`), `pool` (connections per store, default 8), `lease_seconds` (default 30),
/// `connect_timeout` (seconds, default 5), `call_timeout` (seconds, default 30: a call — one
/// statement, or a transaction's `BEGIN`/`COMMIT` with its neighbour — that has not answered by
/// then fails and its connection is closed), `synchronous_commit` (`on`, the default, or `off`:
/// commits return before the WAL is flushed — a crash of the server may lose the last commits
/// but never corrupts; like SQLite's `synchronous = NORMAL`). TLS is not used (`sslmode=disable` is accepted and
/// ignored; anything else is refused), so the database should be local or on a trusted network.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var schema: String
    public var poolSize: Int
    public var leaseSeconds: Double
    public var connectTimeoutSeconds: Double
    /// How long one call may wait for the server before it fails and its connection is closed.
    public var callTimeoutSeconds: Double
    /// PostgreSQL's `synchronous_commit` for the store's sessions; nil keeps the server's.
    public var synchronousCommit: String?

    /// Parses a URL; throws `ProverServiceError.storage`-coded ``PostgresStoreError`` with the reason.
    public init(_ string: String) throws {
        guard let components = URLComponents(string: string),
              let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresStoreError.invalidURL("\(Self.redact(string)): expected postgres://user:password@host:port/database")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresStoreError.invalidURL("\(Self.redact(string)): no host") }
        self.host = host
        self.port = components.port ?? 5432
        self.user = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        self.password = components.password.flatMap { $0.removingPercentEncoding }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? user : path
        schema = "public"
        poolSize = 8
        leaseSeconds = 30
        connectTimeoutSeconds = 5
        callTimeoutSeconds = 30
        synchronousCommit = nil
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "schema":
                guard !value.isEmpty, value.count <= 40, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw PostgresStoreError.invalidURL("schema must be 1…40 letters, digits or underscores")
                }
                schema = value.lowercased()
            case "pool":
                guard let n = Int(value), (1...256).contains(n) else { throw PostgresStoreError.invalidURL("pool must be 1…256") }
                poolSize = n
            case "lease_seconds":
                guard let s = Double(value), s >= 0.2, s <= 3600 else { throw PostgresStoreError.invalidURL("lease_seconds must be 0.2…3600") }
                leaseSeconds = s
            case "connect_timeout":
                guard let s = Double(value), s > 0, s <= 600 else { throw PostgresStoreError.invalidURL("connect_timeout must be 0…600 s") }
                connectTimeoutSeconds = s
            case "call_timeout":
                guard let s = Double(value), s >= 0.1, s <= 3600 else { throw PostgresStoreError.invalidURL("call_timeout must be 0.1…3600 s") }
                callTimeoutSeconds = s
            case "synchronous_commit":
                guard ["on", "off", "local"].contains(value) else { throw PostgresStoreError.invalidURL("synchronous_commit must be on, off or local") }
                synchronousCommit = value
            case "sslmode":
                guard value == "disable" else { throw PostgresStoreError.invalidURL("sslmode \(value) is not supported (only disable)") }
            default:
                throw PostgresStoreError.invalidURL("unknown option \(item.name)")
            }
        }
    }

    /// The URL without its password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)?schema=\(schema)" }

    /// `string` with any password replaced by `***`.
    static func redact(_ string: String) -> String {
        guard var components = URLComponents(string: string), components.password != nil else { return string }
        components.password = "***"
        return components.string ?? "postgres://…"
    }
}
