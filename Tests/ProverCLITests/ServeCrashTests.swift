import CSQLite
import Foundation
import Testing

/// `prover serve` killed with SIGKILL while a proof is running: after a restart on the same
/// data directory the task completes exactly once.
@Suite("prover serve, killed mid-proof", .serialized)
struct ServeCrashTests {
    @Test func sigkillWhileProvingThenRestartCompletesTheTaskOnce() async throws {
        let directory = try temporaryDirectory("prover-kill")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration: [String: Any] = ["checkpoint_runner": false]

        let first = try ServerProcess(directory: directory, configuration: configuration)
        #expect(first.port > 0)
        let (status, submitted) = try await first.call("POST", "/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": 1 << 19]])
        #expect(status == 202)
        let id = try #require(submitted["id"] as? String)
        var state = ""
        // A proof of 2^19 rows takes seconds; the parallel test suite can slow the polls down.
        for _ in 0..<3000 where !["proving", "completed"].contains(state) {
            state = (try await first.call("GET", "/v1/tasks/\(id)").1["state"] as? String) ?? ""
            if state != "proving" { try await Task.sleep(for: .milliseconds(10)) }
        }
        try #require(state == "proving")
        first.kill()
        #expect(first.process.terminationReason == .uncaughtSignal)

        // The killed process left the task `proving` and no proof behind.
        let database = directory + "/prover-data/tasks.sqlite"
        #expect(try sqliteInt(database, "SELECT COUNT(*) FROM proofs") == 0)
        #expect(try sqliteText(database, "SELECT state FROM tasks WHERE id = '\(id)'") == "proving")

        let second = try ServerProcess(directory: directory, configuration: configuration)
        let final = try await second.waitFinal(id, seconds: 180)
        #expect(final["state"] as? String == "completed", "\(final)")
        // `attempt` counts failed attempts: recovery from a crash does not use one up.
        #expect(final["attempt"] as? Int == 0)
        let (proofStatus, proof) = try await second.request("GET", "/v1/tasks/\(id)/proof")
        #expect(proofStatus == 200 && !proof.isEmpty)
        #expect(second.terminate() == 0)

        #expect(try sqliteInt(database, "SELECT COUNT(*) FROM proofs") == 1)
        #expect(try sqliteInt(database, "SELECT COUNT(*) FROM proofs WHERE task_id = '\(id)'") == 1)
        #expect(try sqliteInt(database, "SELECT COUNT(*) FROM tasks") == 1)
    }
}

struct SQLiteReadError: Error, CustomStringConvertible {
    let description: String
}

/// The first column of the first row of a query, read with a connection of its own.
private func sqliteValue<T>(_ path: String, _ sql: String, _ read: (OpaquePointer) -> T) throws -> T {
    var db: OpaquePointer?
    guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else {
        throw SQLiteReadError(description: "cannot open \(path)")
    }
    defer { sqlite3_close(db) }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
        throw SQLiteReadError(description: String(cString: sqlite3_errmsg(db)))
    }
    defer { sqlite3_finalize(statement) }
    guard sqlite3_step(statement) == SQLITE_ROW else { throw SQLiteReadError(description: "no row for \(sql)") }
    return read(statement)
}

func sqliteInt(_ path: String, _ sql: String) throws -> Int {
    try sqliteValue(path, sql) { Int(sqlite3_column_int64($0, 0)) }
}

func sqliteText(_ path: String, _ sql: String) throws -> String? {
    try sqliteValue(path, sql) { statement in sqlite3_column_text(statement, 0).map { String(cString: $0) } }
}
