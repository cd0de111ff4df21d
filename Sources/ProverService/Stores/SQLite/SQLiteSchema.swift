/// The SQLite schema and its migrations, versioned with `PRAGMA user_version`.
enum SQLiteSchema {
    /// Migration i brings the schema from version i to i + 1.
    static let migrations: [String] = [
        """
        CREATE TABLE tasks (
            id TEXT PRIMARY KEY NOT NULL,
            proof_type TEXT NOT NULL,
            backend TEXT NOT NULL,
            context BLOB NOT NULL,
            priority INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            next_run_us INTEGER,
            error_code TEXT,
            error_message TEXT,
            error_transient INTEGER,
            deps TEXT NOT NULL,
            queue_seq INTEGER NOT NULL,
            owner TEXT,
            timeout_s REAL,
            created_us INTEGER NOT NULL,
            updated_us INTEGER NOT NULL
        );
        CREATE INDEX tasks_runnable ON tasks(backend, priority DESC, queue_seq) WHERE state = 'queued';
        CREATE INDEX tasks_created ON tasks(created_us, id);
        CREATE TABLE task_deps (
            dep_id TEXT NOT NULL,
            task_id TEXT NOT NULL,
            PRIMARY KEY (dep_id, task_id)
        ) WITHOUT ROWID;
        CREATE TABLE proofs (
            task_id TEXT PRIMARY KEY NOT NULL,
            proof_type TEXT NOT NULL,
            proof BLOB NOT NULL,
            public_outputs BLOB NOT NULL,
            metadata TEXT NOT NULL,
            created_us INTEGER NOT NULL
        ) WITHOUT ROWID;
        """
    ]

    /// The schema version this build writes.
    static var currentVersion: Int { migrations.count }

    /// Brings the database up to ``currentVersion``; refuses a newer one.
    static func migrate(_ connection: SQLiteConnection, path: String) throws {
        let found = Int(try connection.query("PRAGMA user_version") { $0.int(0) }.first ?? 0)
        guard found <= currentVersion else {
            throw ProverServiceError.schemaTooNew.with(
                "\(path) has schema version \(found); this build supports up to \(currentVersion). Upgrade the software or use another data directory.")
        }
        for version in found..<currentVersion {
            try connection.begin()
            do {
                try connection.execute(migrations[version])
                try connection.execute("PRAGMA user_version = \(version + 1)")
                try connection.commit()
            } catch {
                connection.rollback()
                throw error
            }
        }
    }
}
