import Logging
import NIOCore
import PostgresNIO

/// Statements as NIO futures on the connection's event loop, and the one blocking wait per
/// call. A transaction's statements that need no decision in Swift between them (`BEGIN` and
/// the first statement, `pg_notify` and `COMMIT`) are chained on the event loop, so a caller
/// pays one hand-off to the event loop and one back per call, not per statement.
extension PostgresConnection {
    /// Sends one statement and collects its rows; fails at once if the connection is closed.
    ///
    /// postgres-nio writes a statement to its channel without a write promise. Once a closed
    /// channel has removed its handlers, such a write is dropped and the statement's promise is
    /// never completed: its caller would wait forever (the stall of issue #9 after a server
    /// restart — a worker blocked committing its result while the heartbeat kept renewing its
    /// lease). On the event loop, an open connection still has its handler, which answers or
    /// fails every statement it was given; so the check and the write happen there, together.
    func send(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) -> EventLoopFuture<[PostgresRow]> {
        guard eventLoop.inEventLoop else {
            return eventLoop.flatSubmit { self.send(sql, binds, logger: logger) }
        }
        guard !isClosed else {
            return eventLoop.makeFailedFuture(PostgresCallError.connectionClosed("connection \(id) was closed by the server or the network"))
        }
        return query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).map(\.rows)
    }

    /// Runs `chain` on the event loop and blocks the calling thread until it completes. A call
    /// that has not answered after `seconds` closes the connection (which fails whatever runs on
    /// it) and throws ``PostgresCallError/timedOut``: no caller waits forever on a server or a
    /// network that stopped answering without closing the socket.
    func call<T: Sendable>(
        seconds: Double, what: String, _ chain: @escaping @Sendable (PostgresConnection) -> EventLoopFuture<T>
    ) throws -> T {
        let future = eventLoop.flatSubmit { chain(self) }
        do {
            return try waitBlocking(future, seconds: seconds, what: what)
        } catch let error as PostgresCallError where error == .timedOut {
            close().whenComplete { _ in }
            throw error
        }
    }

    /// One statement, blocking, with a deadline.
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), seconds: Double, logger: Logger) throws -> [PostgresRow] {
        try call(seconds: seconds, what: "`\(sql.prefix(48))…`") { $0.send(sql, binds, logger: logger) }
    }
}
