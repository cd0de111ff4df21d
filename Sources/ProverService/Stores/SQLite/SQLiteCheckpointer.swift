import CSQLite
import Foundation

/// Moves the WAL's pages into the database file on a thread and a connection of its own, so
/// that no store operation waits for it.
///
/// With SQLite's automatic checkpoints the commit that crosses the WAL threshold copies the
/// whole WAL into the database and syncs it while holding the store: with proofs of tens of
/// kilobytes that is a 100–200 ms stall of every worker every few seconds of proving
/// (docs/performance.md). Here the store's connection only reports its WAL size after each
/// commit (`sqlite3_wal_hook`); past ``threshold`` pages this thread runs a PASSIVE checkpoint,
/// which never blocks the writer, and SQLite restarts the WAL from the top at the next write
/// once every frame is in the database. A writer that never pauses could keep that from
/// happening; past twice the threshold the writer finishes the (mostly done) pass itself.
final class SQLiteCheckpointer: @unchecked Sendable {
    // @unchecked: `requested` and `stopped` are only touched with `condition` locked; `db` only
    // on the checkpointer's thread (and in deinit, after that thread has ended).
    /// WAL pages that trigger a checkpoint (4 KiB each).
    let threshold: Int32
    private let condition = NSCondition()
    private var requested = false
    private var stopped = false
    private var db: OpaquePointer?
    private let finished = DispatchSemaphore(value: 0)

    init(path: String, threshold: Int32 = 4096) throws {
        self.threshold = threshold
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &db, flags, nil) == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw ProverServiceError.storage.with("cannot open \(path) for checkpoints: \(message)")
        }
        sqlite3_busy_timeout(db, 5_000)
        // Reading the journal mode opens the WAL on this connection; until then a checkpoint
        // here finds "no WAL" and does nothing. `synchronous = NORMAL`: each checkpoint syncs.
        guard sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", nil, nil, nil) == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(db))
            sqlite3_close_v2(db)
            throw ProverServiceError.storage.with("cannot prepare \(path) for checkpoints: \(message)")
        }
        let thread = Thread { [self] in
            ServiceThreads.run(named: "prover-sqlite-checkpoint") { loop() }
            finished.signal()
        }
        thread.name = "prover-sqlite-checkpoint"
        thread.start()
    }

    /// Installs the hook that reports `connection`'s WAL size after each commit.
    func watch(_ connection: OpaquePointer?) {
        sqlite3_wal_hook(connection, { context, db, _, pages in
            let checkpointer = Unmanaged<SQLiteCheckpointer>.fromOpaque(context!).takeUnretainedValue()
            if pages >= 2 * checkpointer.threshold {
                // The writer never paused long enough for the background pass to finish (the
                // WAL restarts only then): finish it here. Most frames are already copied, so
                // this pass is short; it is what SQLite's own autocheckpoint would do, rarely.
                sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            } else if pages >= checkpointer.threshold {
                checkpointer.request()
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Asks for a checkpoint (coalesced with one already asked for).
    func request() {
        condition.lock()
        requested = true
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread after the checkpoint it may be running, and waits for it.
    func stop() {
        condition.lock()
        let first = !stopped
        stopped = true
        condition.signal()
        condition.unlock()
        if first { finished.wait() }
    }

    deinit {
        stop()
        sqlite3_close_v2(db)
    }

    private func loop() {
        while true {
            condition.lock()
            while !requested && !stopped { condition.wait() }
            let stop = stopped
            requested = false
            condition.unlock()
            if stop { return }
            // Best effort: a busy or failed pass leaves the frames for the next one.
            sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }
    }
}
