import CSQLite
import Foundation

/// A value bound to or read from a SQL statement.
enum SQLValue {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
    case blob([UInt8])
}

/// One SQLite connection with a cache of prepared statements. Not thread-safe: the owner
/// (``SQLiteStore``) serializes access with a mutex.
final class SQLiteConnection {
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// Next FIFO sequence number (single-writer: this connection owns the file).
    var queueSequence: Int64 = 0
    /// Events of the open transaction, handed to `eventSink` after commit.
    var pendingEvents: Transitions = []
    var eventSink: (@Sendable (Transitions) -> Void)?

    init(path: String) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            db = nil
            throw ProverServiceError.storage.with("cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(db, 5_000)
    }

    deinit {
        sqlite3_wal_hook(db, nil, nil)
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(db)
    }

    /// Checkpoints the WAL in the background once it grows past the threshold; the connection
    /// keeps it alive (its hook points at it) until the connection closes.
    private var checkpointer: SQLiteCheckpointer?

    /// Turns SQLite's automatic checkpoints off and hands them to `checkpointer`.
    func checkpoint(with checkpointer: SQLiteCheckpointer) {
        self.checkpointer = checkpointer
        sqlite3_wal_autocheckpoint(db, 0)
        checkpointer.watch(db)
    }

    private func error(_ what: String) -> ProverServiceError {
        ProverServiceError.storage.with("\(what): \(String(cString: sqlite3_errmsg(db)))")
    }

    /// Number of prepared statements in the cache (a fixed set: values are always bound).
    var preparedStatementCount: Int { statements.count }

    /// Runs one or more statements without results.
    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else { throw error("exec failed") }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] {
            sqlite3_reset(statement) // every parameter is bound again by the caller
            return statement
        }
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK, let statement else {
            throw error("prepare failed for \(sql)")
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ values: [SQLValue], to statement: OpaquePointer) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .int(let v): rc = sqlite3_bind_int64(statement, index, v)
            case .double(let v): rc = sqlite3_bind_double(statement, index, v)
            case .text(let v):
                var v = v
                rc = try v.withUTF8 { bytes in
                    try checkLength(bytes.count, parameter: index)
                    // A null pointer would bind SQL NULL, not the empty string.
                    return bytes.withMemoryRebound(to: CChar.self) { chars in
                        Self.emptyText.withUnsafeBufferPointer { empty in
                            csqlite_bind_text64(statement, index, chars.baseAddress ?? empty.baseAddress, sqlite3_uint64(chars.count))
                        }
                    }
                }
            case .blob(let v):
                rc = try v.withUnsafeBytes { bytes in
                    try checkLength(bytes.count, parameter: index)
                    // A null pointer would bind SQL NULL, not the empty blob.
                    return csqlite_bind_blob64(statement, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64(bytes.count))
                }
            }
            if rc == SQLITE_TOOBIG { throw tooLarge("parameter \(index)") }
            guard rc == SQLITE_OK else { throw error("bind failed") }
        }
    }

    private static let emptyText: [CChar] = [0]

    /// Refuses a value longer than the connection's length limit (SQLITE_LIMIT_LENGTH, at most
    /// 2^31 − 1 bytes) before SQLite copies it.
    private func checkLength(_ count: Int, parameter index: Int32) throws {
        let limit = Int(sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1))
        guard count <= limit else {
            throw ProverServiceError.valueTooLarge.with("parameter \(index) is \(count) bytes; the store holds values up to \(limit) bytes")
        }
    }

    private func tooLarge(_ what: String) -> ProverServiceError {
        ProverServiceError.valueTooLarge.with("\(what): \(String(cString: sqlite3_errmsg(db)))")
    }

    /// Runs a statement without results; returns the number of changed rows.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        try bind(values, to: statement)
        let rc = sqlite3_step(statement)
        if rc == SQLITE_TOOBIG { throw tooLarge("row too large") }
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw error("step failed") }
        return Int(sqlite3_changes(db))
    }

    /// Runs a query and maps each row.
    func query<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (SQLRow) throws -> T) throws -> [T] {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        try bind(values, to: statement)
        var results: [T] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            if rc == SQLITE_TOOBIG { throw tooLarge("row too large") }
            guard rc == SQLITE_ROW else { throw error("step failed") }
            results.append(try map(SQLRow(statement: statement)))
        }
        return results
    }

    func begin() throws {
        pendingEvents.removeAll(keepingCapacity: true)
        try run("BEGIN IMMEDIATE")
    }

    /// Commits, then publishes the transaction's events while the caller still holds the lock.
    func commit() throws {
        try run("COMMIT")
        if !pendingEvents.isEmpty {
            let events = pendingEvents
            pendingEvents.removeAll(keepingCapacity: true)
            eventSink?(events)
        }
    }

    func rollback() {
        pendingEvents.removeAll(keepingCapacity: true)
        _ = try? run("ROLLBACK")
    }
}

/// A view of the current row of a statement.
struct SQLRow {
    let statement: OpaquePointer

    func isNull(_ i: Int32) -> Bool { sqlite3_column_type(statement, i) == SQLITE_NULL }
    func int(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }
    func double(_ i: Int32) -> Double { sqlite3_column_double(statement, i) }
    func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(statement, i) else { return "" }
        return String(cString: p)
    }
    func blob(_ i: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, i))
        guard count > 0, let p = sqlite3_column_blob(statement, i) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: count))
    }
}
