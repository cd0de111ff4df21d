import Foundation

/// The ``TaskStoreTransaction`` of ``SQLiteStore``: runs inside `BEGIN IMMEDIATE … COMMIT`.
struct SQLiteTransaction: TaskStoreTransaction {
    let conn: SQLiteConnection

    static let columns = "id, proof_type, backend, context, priority, state, attempt, next_run_us, error_code, error_message, error_transient, deps, queue_seq, owner, timeout_s, created_us, updated_us"

    static func record(_ row: SQLRow) throws -> TaskRecord {
        guard let id = TaskID(row.text(0)), let state = TaskState(rawValue: row.text(5)) else {
            throw ProverServiceError.storage.with("corrupt task row \(row.text(0))")
        }
        let deps = row.text(11).split(separator: ",").compactMap { TaskID(String($0)) }
        let failure = row.isNull(8) ? nil : TaskFailure(code: row.text(8), message: row.text(9), isTransient: row.int(10) != 0)
        return TaskRecord(
            id: id, proofType: row.text(1), backend: row.text(2), context: row.blob(3), priority: Int(row.int(4)),
            state: state, attempt: Int(row.int(6)), nextRunAt: row.isNull(7) ? nil : Date(micros: row.int(7)),
            lastError: failure, dependencies: deps, queueSequence: row.int(12), owner: row.isNull(13) ? nil : row.text(13),
            timeoutSeconds: row.isNull(14) ? nil : row.double(14), createdAt: Date(micros: row.int(15)),
            updatedAt: Date(micros: row.int(16)))
    }

    func didChange(_ event: TaskEvent) { conn.pendingEvents.append(event) }

    private static func optional(_ s: String?) -> SQLValue { s.map { .text($0) } ?? .null }

    func task(_ id: TaskID) throws -> TaskRecord? {
        try conn.query("SELECT \(Self.columns) FROM tasks WHERE id = ?", [.text(id.hex)], Self.record).first
    }

    func insert(_ r: TaskRecord) throws {
        try conn.run(
            "INSERT INTO tasks (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [.text(r.id.hex), .text(r.proofType), .text(r.backend), .blob(r.context), .int(Int64(r.priority)),
             .text(r.state.rawValue), .int(Int64(r.attempt)), r.nextRunAt.map { .int($0.micros) } ?? .null,
             Self.optional(r.lastError?.code), Self.optional(r.lastError?.message),
             r.lastError.map { .int($0.isTransient ? 1 : 0) } ?? .null,
             .text(r.dependencies.map(\.hex).joined(separator: ",")), .int(r.queueSequence), Self.optional(r.owner),
             r.timeoutSeconds.map { .double($0) } ?? .null, .int(r.createdAt.micros), .int(r.updatedAt.micros)])
        for dep in r.dependencies {
            try conn.run("INSERT OR IGNORE INTO task_deps (dep_id, task_id) VALUES (?, ?)", [.text(dep.hex), .text(r.id.hex)])
        }
    }

    func update(_ r: TaskRecord, expecting expected: TaskState, owner: String?) throws -> Bool {
        let changed = try conn.run(
            """
            UPDATE tasks SET priority = ?, state = ?, attempt = ?, next_run_us = ?, error_code = ?, error_message = ?,
            error_transient = ?, queue_seq = ?, owner = ?, timeout_s = ?, updated_us = ?
            WHERE id = ? AND state = ? AND (?14 IS NULL OR owner = ?14)
            """,
            [.int(Int64(r.priority)), .text(r.state.rawValue), .int(Int64(r.attempt)), r.nextRunAt.map { .int($0.micros) } ?? .null,
             Self.optional(r.lastError?.code), Self.optional(r.lastError?.message),
             r.lastError.map { .int($0.isTransient ? 1 : 0) } ?? .null, .int(r.queueSequence), Self.optional(r.owner),
             r.timeoutSeconds.map { .double($0) } ?? .null, .int(r.updatedAt.micros),
             .text(r.id.hex), .text(expected.rawValue), Self.optional(owner)])
        return changed == 1
    }

    func dependents(of id: TaskID) throws -> [TaskID] {
        try conn.query("SELECT task_id FROM task_deps WHERE dep_id = ?", [.text(id.hex)]) { TaskID($0.text(0)) }.compactMap { $0 }
    }

    func nextRunnable(backend: String) throws -> TaskRecord? {
        try conn.query(
            "SELECT \(Self.columns) FROM tasks WHERE state = 'queued' AND backend = ? ORDER BY priority DESC, queue_seq LIMIT 1",
            [.text(backend)], Self.record
        ).first
    }

    func nextQueueSequence() throws -> Int64 {
        conn.queueSequence += 1
        return conn.queueSequence
    }

    func tasks(in state: TaskState) throws -> [TaskRecord] {
        try conn.query("SELECT \(Self.columns) FROM tasks WHERE state = ? ORDER BY queue_seq", [.text(state.rawValue)], Self.record)
    }

    func list(_ query: TaskQuery) throws -> TaskPage {
        var clauses: [String] = []
        var values: [SQLValue] = []
        if let cursor = query.cursor {
            let parts = cursor.split(separator: ":")
            guard parts.count == 2, let created = Int64(parts[0]), let id = TaskID(String(parts[1])) else {
                throw ProverServiceError.invalidCursor.with("cannot decode cursor '\(cursor)'")
            }
            clauses.append("(created_us > ? OR (created_us = ? AND id > ?))")
            values += [.int(created), .int(created), .text(id.hex)]
        }
        if let states = query.states {
            clauses.append("state IN (\(states.map { _ in "?" }.joined(separator: ", ")))")
            values += states.sorted { $0.rawValue < $1.rawValue }.map { .text($0.rawValue) }
        }
        if let proofType = query.proofType {
            clauses.append("proof_type = ?")
            values.append(.text(proofType))
        }
        if let backend = query.backend {
            clauses.append("backend = ?")
            values.append(.text(backend))
        }
        let whereClause = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        // The limit is a parameter: the statement text (and the statement cache) depends only on
        // which filters are set, never on their values.
        values.append(.int(Int64(query.limit) + 1))
        let rows = try conn.query(
            "SELECT \(Self.columns) FROM tasks \(whereClause) ORDER BY created_us, id LIMIT ?", values, Self.record)
        let page = Array(rows.prefix(query.limit))
        let next = rows.count > query.limit ? page.last.map { "\($0.createdAt.micros):\($0.id.hex)" } : nil
        return TaskPage(tasks: page, nextCursor: next)
    }

    func countByState() throws -> [TaskState: Int] {
        var counts: [TaskState: Int] = [:]
        for (state, count) in try conn.query("SELECT state, COUNT(*) FROM tasks GROUP BY state", [], { ($0.text(0), Int($0.int(1))) }) {
            if let s = TaskState(rawValue: state) { counts[s] = count }
        }
        return counts
    }

    func pruneFinished(updatedBefore cutoff: Date) throws -> Int {
        let deleted = try conn.run(
            """
            DELETE FROM tasks WHERE state IN ('completed', 'failed', 'cancelled') AND updated_us < ?
            AND NOT EXISTS (SELECT 1 FROM task_deps d JOIN tasks t ON t.id = d.task_id
                            WHERE d.dep_id = tasks.id AND t.state NOT IN ('completed', 'failed', 'cancelled'))
            """, [.int(cutoff.micros)])
        try conn.run("DELETE FROM task_deps WHERE task_id NOT IN (SELECT id FROM tasks)")
        return deleted
    }
}
