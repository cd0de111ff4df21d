import Foundation

/// Makes one process the owner of a SQLite store file: an exclusive `flock` on `<file>.owner`,
/// held for the store's lifetime and released by the kernel if the process dies. (The store
/// is not shared between processes; several nodes share PostgreSQL instead.)
final class SQLiteOwnerLock: Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        let lockPath = path + ".owner"
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ProverServiceError.storage.with("cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ProverServiceError.storage.with("\(path) is in use by another store (\(lockPath) is locked)")
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
