import Logging
import PostgresNIO

/// The PostgreSQL schema and its migrations. The version lives in `prover_schema`; migrations
/// run in one transaction under an advisory lock, so nodes starting together migrate once.
enum PostgresSchema {
    /// Migration i brings the schema from version i to i + 1; each is a list of statements.
    static let migrations: [[String]] = [
        version1.split(separator: ";").map(String.init).filter { !$0.allSatisfy(\.isWhitespace) },
        [finishFunction],
        [finishBatchFunction],
    ]

    /// Version 1: the tables and their indexes.
    static let version1 = """
        CREATE TABLE prover_tasks (
            id TEXT PRIMARY KEY,
            proof_type TEXT NOT NULL,
            backend TEXT NOT NULL,
            context BYTEA NOT NULL,
            priority INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            next_run_us BIGINT,
            error_code TEXT,
            error_message TEXT,
            error_transient BOOLEAN,
            deps TEXT NOT NULL,
            queue_seq BIGINT NOT NULL,
            owner TEXT,
            lease_expires_us BIGINT,
            timeout_s DOUBLE PRECISION,
            created_us BIGINT NOT NULL,
            updated_us BIGINT NOT NULL
        );
        CREATE INDEX prover_tasks_runnable ON prover_tasks (backend, priority DESC, queue_seq) WHERE state = 'queued';
        CREATE INDEX prover_tasks_created ON prover_tasks (created_us, id);
        CREATE INDEX prover_tasks_leases ON prover_tasks (lease_expires_us) WHERE state = 'proving';
        CREATE INDEX prover_tasks_due ON prover_tasks (next_run_us) WHERE state = 'retrying';
        CREATE TABLE prover_task_deps (
            dep_id TEXT NOT NULL,
            task_id TEXT NOT NULL,
            PRIMARY KEY (dep_id, task_id)
        );
        CREATE TABLE prover_proofs (
            task_id TEXT PRIMARY KEY,
            proof_type TEXT NOT NULL,
            proof BYTEA NOT NULL,
            public_outputs BYTEA NOT NULL,
            metadata TEXT NOT NULL,
            created_us BIGINT NOT NULL
        );
        """

    /// The schema version this build writes.
    static var currentVersion: Int { migrations.count }

    /// Advisory lock key of migrations ("prover" in ASCII).
    static let lockKey: Int64 = 0x70726F766572

    /// Creates the schema namespace if needed, refuses a newer version, applies what is missing.
    static func migrate(_ connection: PostgresConnection, url: PostgresURL, logger: Logger) throws {
        let seconds = url.callTimeoutSeconds
        _ = try connection.rows("CREATE SCHEMA IF NOT EXISTS \"\(url.schema)\"", seconds: seconds, logger: logger)
        _ = try connection.rows("BEGIN", seconds: seconds, logger: logger)
        do {
            var binds = PostgresBindings()
            binds.append(lockKey)
            _ = try connection.rows("SELECT pg_advisory_xact_lock($1)", binds, seconds: seconds, logger: logger)
            _ = try connection.rows("CREATE TABLE IF NOT EXISTS prover_schema (version INTEGER NOT NULL)", seconds: seconds, logger: logger)
            let found = try connection.rows("SELECT version FROM prover_schema", seconds: seconds, logger: logger).first
                .map { try $0.makeRandomAccess()[0].decode(Int.self) }
            guard (found ?? 0) <= currentVersion else {
                throw PostgresStoreError.schemaTooNew(
                    "\(url) has schema version \(found ?? 0); this build supports up to \(currentVersion). Upgrade the software or use another schema/database.")
            }
            if found == nil { _ = try connection.rows("INSERT INTO prover_schema (version) VALUES (0)", seconds: seconds, logger: logger) }
            for version in (found ?? 0)..<currentVersion {
                for statement in migrations[version] {
                    _ = try connection.rows(statement, seconds: seconds, logger: logger)
                }
                var binds = PostgresBindings()
                binds.append(version + 1)
                _ = try connection.rows("UPDATE prover_schema SET version = $1", binds, seconds: seconds, logger: logger)
            }
            _ = try connection.rows("COMMIT", seconds: seconds, logger: logger)
        } catch {
            _ = try? connection.rows("ROLLBACK", seconds: seconds, logger: logger)
            throw error
        }
    }
}
