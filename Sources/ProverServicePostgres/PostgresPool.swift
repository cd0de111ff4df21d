import Foundation
import Logging
import NIOCore
import PostgresNIO
import ProverService

/// A fixed-size pool of PostgreSQL connections for blocking callers: a thread checks one out,
/// runs calls on it (``PostgresConnection/call(seconds:what:_:)``, each with a deadline) and
/// returns it. Connections open lazily; one that failed with a connection error or a deadline
/// is closed and replaced on the next checkout, so the store recovers by itself when the server
/// comes back.
final class PostgresPool: @unchecked Sendable {
    // @unchecked: `idle`, `open` and `closed` are only touched with `condition` locked.
    let url: PostgresURL
    let logger: Logger
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var closed = false
    private let nextID = AtomicCounter()

    init(url: PostgresURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    var configuration: PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: .disable)
        configuration.options.connectTimeout = .milliseconds(Int64(url.connectTimeoutSeconds * 1000))
        configuration.options.additionalStartupParameters = [("search_path", url.schema), ("application_name", "prover")]
        if let mode = url.synchronousCommit { configuration.options.additionalStartupParameters.append(("synchronous_commit", mode)) }
        return configuration
    }

    /// Opens a new connection (blocking): `connect_timeout` for TCP, then at most `call_timeout`
    /// for the start-up and authentication. The raw postgres-nio error on failure; a connection
    /// that opens after its caller gave up is closed.
    func connect() throws -> PostgresConnection {
        let future = PostgresConnection.connect(
            on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: nextID.next(), logger: logger)
        return try waitBlocking(future, seconds: url.connectTimeoutSeconds + url.callTimeoutSeconds, what: "connect to \(url.host):\(url.port)",
                                abandoned: { $0.close().whenComplete { _ in } })
    }

    /// Runs `body` with a connection of the pool. A connection error closes the connection.
    func withConnection<R>(_ body: (PostgresConnection) throws -> R) throws -> R {
        let connection = try checkout()
        do {
            let result = try body(connection)
            checkin(connection, broken: connection.isClosed)
            return result
        } catch {
            checkin(connection, broken: connection.isClosed || PostgresErrors.isConnectionLost(error))
            throw error
        }
    }

    private func checkout() throws -> PostgresConnection {
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw ProverServiceError.storage.with("the PostgreSQL store is closed")
            }
            if let connection = idle.popLast() {
                condition.unlock()
                if connection.isClosed {
                    checkin(connection, broken: true)
                    condition.lock()
                    continue
                }
                return connection
            }
            if open < url.poolSize {
                open += 1
                condition.unlock()
                do {
                    return try connect()
                } catch {
                    condition.lock()
                    open -= 1
                    condition.signal()
                    condition.unlock()
                    throw PostgresErrors.storage(error, "connect to \(url.host):\(url.port)")
                }
            }
            condition.wait()
        }
    }

    private func checkin(_ connection: PostgresConnection, broken: Bool) {
        condition.lock()
        if broken || closed {
            open -= 1
            condition.signal()
            condition.unlock()
            connection.close().whenComplete { _ in }
            return
        }
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }

    /// Closes every idle connection; connections in use close when they come back.
    func close() {
        condition.lock()
        closed = true
        let connections = idle
        idle.removeAll()
        open -= connections.count
        condition.broadcast()
        condition.unlock()
        for connection in connections { connection.close().whenComplete { _ in } }
    }
}

/// A thread-safe increasing counter (connection ids).
final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}
