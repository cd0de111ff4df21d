import CSQLite
import Foundation
import ProverService
import Testing

@Suite struct SQLiteStoreTests {
    @Test func refusesANewerSchemaWithAClearError() throws {
        let path = try temporaryDirectory().appendingPathComponent("new.sqlite").path
        _ = try SQLiteStore(path: path)
        var db: OpaquePointer?
        #expect(sqlite3_open(path, &db) == SQLITE_OK)
        #expect(sqlite3_exec(db, "PRAGMA user_version = \(SQLiteStore.schemaVersion + 1)", nil, nil, nil) == SQLITE_OK)
        sqlite3_close(db)
        do {
            _ = try SQLiteStore(path: path)
            Issue.record("opened a database with a newer schema")
        } catch let error as ProverServiceError {
            #expect(error == .schemaTooNew)
            #expect(error.detail.contains("schema version \(SQLiteStore.schemaVersion + 1)"))
        }
    }

    @Test func usesWALAndMigratesToTheCurrentVersion() throws {
        let path = try temporaryDirectory().appendingPathComponent("wal.sqlite").path
        _ = try SQLiteStore(path: path)
        var db: OpaquePointer?
        #expect(sqlite3_open(path, &db) == SQLITE_OK)
        defer { sqlite3_close(db) }
        func scalar(_ sql: String) -> String {
            var statement: OpaquePointer?
            sqlite3_prepare_v2(db, sql, -1, &statement, nil)
            defer { sqlite3_finalize(statement) }
            sqlite3_step(statement)
            return String(cString: sqlite3_column_text(statement, 0))
        }
        #expect(scalar("PRAGMA journal_mode") == "wal")
        #expect(scalar("PRAGMA user_version") == "\(SQLiteStore.schemaVersion)")
    }

    @Test func aSecondStoreOnTheSameFileIsRefusedUntilTheFirstIsGone() throws {
        let path = try temporaryDirectory().appendingPathComponent("owned.sqlite").path
        var first: SQLiteStore? = try SQLiteStore(path: path)
        do {
            _ = try SQLiteStore(path: path)
            Issue.record("two stores opened one file")
        } catch let error as ProverServiceError {
            #expect(error == .storage)
            #expect(error.detail.contains("in use"))
        }
        #expect(first != nil)
        first = nil
        _ = try SQLiteStore(path: path)
    }

    @Test func theWALIsCheckpointedInTheBackgroundAndStaysBounded() async throws {
        let path = try temporaryDirectory().appendingPathComponent("wal-bound.sqlite").path
        let store = try SQLiteStore(path: path)
        let blob = [UInt8](repeating: 7, count: 64 << 10)
        func put(_ name: String) throws {
            let id = TaskID(proofType: "t", canonicalContext: Array(name.utf8), backend: "cpu")
            try store.putProof(StoredProof(taskID: id, proofType: "t", artifact: ProofArtifact(proof: blob), createdAt: Date()))
        }
        func bytes(_ file: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int) ?? 0 }
        // 96 MiB of proofs, written without a pause: without checkpoints the WAL would hold all
        // of it and the database file would stay empty.
        for i in 0..<1536 { try put("\(i)") }
        // The checkpointer copies the WAL into the database on its own thread (its syncs may
        // take seconds on a busy disk, so wait for it rather than assume a pace).
        try await eventually(60) { bytes(path) > 64 << 20 }
        // Once every frame is in the database, the next write restarts the WAL, which is then
        // cut back to journal_size_limit (64 MiB).
        var round = 0
        try await eventually(60) {
            round += 1
            try put("after-\(round)")
            return bytes(path + "-wal") <= 64 << 20
        }
    }

    @Test func proofsAreWriteOnceAndDurable() throws {
        let path = try temporaryDirectory().appendingPathComponent("p.sqlite").path
        let id = TaskID(proofType: "t", canonicalContext: [1], backend: "cpu")
        let created = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let proof = StoredProof(taskID: id, proofType: "t", artifact: ProofArtifact(proof: [1, 2], publicOutputs: [3], metadata: ["a": "b", "c": "d"]), createdAt: created)
        do {
            let store = try SQLiteStore(path: path)
            try store.putProof(proof)
            try store.putProof(proof) // identical: a no-op
            #expect(throws: ProverServiceError.proofConflict) {
                try store.putProof(StoredProof(taskID: id, proofType: "t", artifact: ProofArtifact(proof: [9]), createdAt: created))
            }
        }
        let reopened = try SQLiteStore(path: path)
        let read = try #require(try reopened.proof(for: id))
        #expect(read.artifact == proof.artifact)
        #expect(abs(read.createdAt.timeIntervalSince(created)) < 1e-6)
    }

    @Test func tasksSurviveReopeningWithTheirFields() throws {
        let path = try temporaryDirectory().appendingPathComponent("t.sqlite").path
        let dep = TaskID(proofType: "d", canonicalContext: [0], backend: "cpu")
        let id = TaskID(proofType: "t", canonicalContext: [1], backend: "gpu")
        let record = TaskRecord(id: id, proofType: "t", backend: "gpu", context: [1, 0, 255], priority: 7, state: .retrying, attempt: 3,
                                nextRunAt: Date(timeIntervalSince1970: 1_800_000_123.5),
                                lastError: TaskFailure(code: "handler", message: "boom", isTransient: true),
                                dependencies: [dep], queueSequence: 11, timeoutSeconds: 2.5,
                                createdAt: Date(timeIntervalSince1970: 1_800_000_000), updatedAt: Date(timeIntervalSince1970: 1_800_000_100))
        do {
            let store = try SQLiteStore(path: path)
            try store.withTransaction { try $0.insert(record) }
        }
        let store = try SQLiteStore(path: path)
        #expect(try store.task(id) == record)
        #expect(try store.withTransaction { try $0.dependents(of: dep) } == [id])
    }
}

/// More than 2 GiB: its length does not fit the 32-bit length parameter of sqlite3_bind_blob.
/// The pages are reserved, never written or read (the store refuses the size before SQLite
/// copies anything), so the test costs address space, not memory.
func hugeBytes() -> [UInt8] {
    let count = (1 << 31) + 1
    return [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

@Suite struct SQLiteLimitTests {
    @Test func aProofOverTwoGiBIsATypedErrorNotATrap() throws {
        let store = try SQLiteStore(path: temporaryDirectory().appendingPathComponent("big.sqlite").path)
        let id = TaskID(proofType: "t", canonicalContext: [1], backend: "cpu")
        let huge = StoredProof(taskID: id, proofType: "t", artifact: ProofArtifact(proof: hugeBytes()), createdAt: Date())
        #expect(throws: ProverServiceError.valueTooLarge) { try store.putProof(huge) }
        #expect(try store.proof(for: id) == nil)
        // The connection is still usable.
        try store.putProof(StoredProof(taskID: id, proofType: "t", artifact: ProofArtifact(proof: [1]), createdAt: Date()))
        #expect(try store.proof(for: id)?.artifact.proof == [1])
    }

    @Test func aHandlerReturningAProofTooLargeToStoreFailsPermanently() async throws {
        let probe = Probe()
        let big = TestHandler(proofType: "big", body: { _, _ in
            probe.enter()
            probe.leave()
            return ProofArtifact(proof: hugeBytes())
        })
        let (service, _) = try makeService([big], retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))
        let id = try await service.submit(request("big", "x")).id
        let record = try await waitFor(service, id, .failed)
        #expect(record.lastError?.code == "value_too_large")
        #expect(record.lastError?.isTransient == false)
        #expect(probe.calls == 1, "a proof that cannot be stored is not proved again")
        #expect(try service.proof(id) == nil)
        await service.shutdown(gracePeriod: .seconds(1))
    }
}

@Suite struct SQLiteStatementTests {
    @Test func listLimitsAreBoundNotPreparedAsNewStatements() throws {
        let store = try SQLiteStore(path: temporaryDirectory().appendingPathComponent("limit.sqlite").path)
        let now = Date()
        for i in 0..<5 {
            let id = TaskID(proofType: "t", canonicalContext: [UInt8(i)], backend: "cpu")
            try store.withTransaction { try $0.insert(TaskRecord(id: id, proofType: "t", backend: "cpu", context: [UInt8(i)], createdAt: now)) }
        }
        let first = try store.list(TaskQuery(limit: 2))
        #expect(first.tasks.count == 2 && first.nextCursor != nil)
        let cached = store.preparedStatementCount
        for limit in 1...40 {
            let page = try store.list(TaskQuery(limit: limit))
            #expect(page.tasks.count == min(limit, 5))
            #expect((page.nextCursor != nil) == (limit < 5))
        }
        #expect(store.preparedStatementCount == cached, "one statement per query shape, whatever the limit")
    }
}
