import Foundation
import ProverService
import ProverServicePostgres
import Testing

/// A connection the server closes under a running transaction (a restart, an administrator's
/// `pg_terminate_backend`): the next statement fails at once with a storage error, the dead
/// connection is discarded, and the store works again on the next call.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason))
struct PostgresConnectionLossTests {
    @Test func aStatementOnAConnectionTheServerClosedFailsAtOnce() throws {
        let url = try PostgresTestDatabase.freshURL()
        let store = try PostgresStore(url: url)
        let other = try PostgresStore(url: url)
        defer { try? other.dropSchema(); store.close(); other.close() }
        let id = try store.submit([contractRecord("a")], retry: false, now: Date()).records[0].id
        let started = ContinuousClock.now
        #expect(throws: ProverServiceError.storage) {
            try store.withTransaction { tx in
                _ = try tx.task(id)  // locks the row: the session is found through its lock
                #expect(try other.terminateSessionsLockingTasksForTesting() == 1)
                Thread.sleep(forTimeInterval: 0.5)  // the client has seen the close by now
                return try tx.task(id)
            }
        }
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(try store.task(id)?.state == .queued)
    }

    @Test func aCallThatDoesNotAnswerInTimeFailsAndItsConnectionIsReplaced() throws {
        var url = try PostgresTestDatabase.freshURL()
        let holder = try PostgresStore(url: url)
        url.callTimeoutSeconds = 0.5
        let store = try PostgresStore(url: url)
        defer { try? holder.dropSchema(); store.close(); holder.close() }
        let id = try store.submit([contractRecord("a")], retry: false, now: Date()).records[0].id
        // Another session holds the task's row lock: the cancel waits for it past its deadline.
        try holder.withTransaction { tx in
            _ = try tx.task(id)
            let started = ContinuousClock.now
            let error = #expect(throws: ProverServiceError.storage) { try store.cancel(id, now: Date()) }
            #expect(error?.detail.contains("no answer within 0.5 s") == true, "\(String(describing: error))")
            #expect(ContinuousClock.now - started < .seconds(5))
        }
        // The lock is gone, the timed-out connection was discarded: the next call works.
        #expect(try store.cancel(id, now: Date()).map(\.to) == [.cancelled])
    }
}
