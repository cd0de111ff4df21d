import Foundation
import ProverService
import ProverServicePostgres
import Synchronization
import Testing

/// What only a shared store does: leases, the reaper, several nodes on one queue, waits for
/// tasks other nodes finish, claims restricted to a node's proof types, and clear start errors.
@Suite(.enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason))
struct PostgresStoreTests {
    @Test func recoverRequeuesOnlyExpiredLeases() throws {
        let url = try PostgresTestDatabase.freshURL(leaseSeconds: 0.5)
        let store = try PostgresStore(url: url)
        defer { try? store.dropSchema(); store.close() }
        _ = try store.submit([contractRecord("live"), contractRecord("dead")], retry: false, now: Date())
        let dead = try #require(store.claimNext(backend: "cpu", owner: "dead-node/w0", now: Date().addingTimeInterval(-5)).first?.record)
        let live = try #require(store.claimNext(backend: "cpu", owner: "live-node/w0", now: Date()).first?.record)
        let (events, _) = try store.recover(now: Date())
        #expect(events.map(\.id) == [dead.id])
        #expect(try store.task(dead.id)?.state == .queued)
        #expect(try store.task(dead.id)?.attempt == 0)
        #expect(try store.task(live.id)?.state == .proving)
    }

    @Test func reaperRequeuesExpiredLeaseAndTheLateResultIsDropped() throws {
        let url = try PostgresTestDatabase.freshURL(leaseSeconds: 0.3)
        let a = try PostgresStore(url: url)
        let b = try PostgresStore(url: url)
        defer { try? a.dropSchema(); a.close(); b.close() }
        let id = try a.submit([contractRecord("t")], retry: false, now: Date()).records[0].id
        let claimed = try #require(a.claimNext(backend: "cpu", owner: "node-a/w0", now: Date()).first?.record)
        // Renewed leases survive the reaper.
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try a.renewLeases([id], ownerPrefix: "node-a/", now: Date()) == 1)
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try b.reapExpired(now: Date()).isEmpty)
        // Node a stops renewing: its lease expires and node b requeues the task.
        Thread.sleep(forTimeInterval: 0.4)
        let reaped = try b.reapExpired(now: Date())
        #expect(reaped.map(\.to) == [.queued])
        #expect(reaped.first?.record.attempt == 0)
        let reclaimed = try #require(b.claimNext(backend: "cpu", owner: "node-b/w0", now: Date()).first?.record)
        #expect(reclaimed.id == id)
        // Node a's late result cannot overwrite node b's claim; nor can its heartbeat renew it.
        let proof = StoredProof(taskID: id, proofType: "t", artifact: ProofArtifact(proof: [1]), createdAt: Date())
        #expect(throws: ProverServiceError.stateConflict) { try a.complete(claimed, owner: "node-a/w0", storing: proof, now: Date(), thenClaim: nil) }
        #expect(try a.renewLeases([id], ownerPrefix: "node-a/", now: Date()) == 0)
        #expect(try b.proof(for: id) == nil)
        _ = try b.complete(reclaimed, owner: "node-b/w0", storing: proof, now: Date(), thenClaim: nil)
        #expect(try a.task(id)?.state == .completed)
    }

    @Test func claimsOnlyTakeProofTypesTheNodeCanProve() throws {
        let url = try PostgresTestDatabase.freshURL()
        let store = try PostgresStore(url: url)
        defer { try? store.dropSchema(); store.close() }
        _ = try store.submit([contractRecord("x", priority: 9, proofType: "other"), contractRecord("y", proofType: "mine")], retry: false, now: Date())
        store.restrictClaims(toProofTypes: ["mine"])
        #expect(try store.claimNext(backend: "cpu", owner: "n/w", now: Date()).first?.record.proofType == "mine")
        #expect(try store.claimNext(backend: "cpu", owner: "n/w", now: Date()).isEmpty)
    }

    @Test func heartbeatKeepsALongProofWhileAnotherNodeReaps() async throws {
        let url = try PostgresTestDatabase.freshURL(leaseSeconds: 0.6)
        let a = ContractStore(store: try PostgresStore(url: url), dispose: {})
        let b = try PostgresStore(url: url)
        defer { try? b.dropSchema(); b.close() }
        let runs = Probe()
        let slow = TestHandler(proofType: "slow", body: { input, _ in
            runs.enter()
            Thread.sleep(forTimeInterval: 2.0)  // three lease lengths
            return ProofArtifact(proof: input.context)
        })
        let service = try a.service([slow], ownerID: "node-a")
        let record = try await service.submit(ProofRequest(proofType: "slow", context: [1]))
        let deadline = Date().addingTimeInterval(10)
        var reaped = 0
        while try b.task(record.id)?.state != .completed, Date() < deadline {
            reaped += try b.reapExpired(now: Date()).count
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(reaped == 0)
        #expect(try b.task(record.id)?.state == .completed)
        #expect(try b.task(record.id)?.attempt == 0)
        #expect(runs.calls == 1)
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func twoNodesShareOneQueueAndEachTaskCompletesOnce() async throws {
        let url = try PostgresTestDatabase.freshURL()
        let nodeA = ContractStore(store: try PostgresStore(url: url), dispose: {})
        let storeB = try PostgresStore(url: url)
        let nodeB = ContractStore(store: storeB, dispose: {})
        defer { try? storeB.dropSchema() }
        let runs = Mutex<[TaskID: Int]>([:])
        let byNode = Mutex<[String: Int]>([:])
        func handler(_ node: String) -> TestHandler {
            TestHandler(proofType: "work", body: { input, _ in
                runs.withLock { $0[input.taskID, default: 0] += 1 }
                byNode.withLock { $0[node, default: 0] += 1 }
                Thread.sleep(forTimeInterval: 0.002)
                return ProofArtifact(proof: input.context)
            })
        }
        let a = try nodeA.service([handler("a")], workers: ["cpu": 2], ownerID: "node-a")
        let b = try nodeB.service([handler("b")], workers: ["cpu": 2], ownerID: "node-b")
        let requests = (0..<200).map { ProofRequest(proofType: "work", context: Array("task-\($0)".utf8)) }
        let records = try await a.submit(requests)
        for record in records {
            // Waits on node a resolve whichever node finished the task.
            #expect(try await a.wait(for: record.id).state == .completed)
        }
        #expect(runs.withLock { $0.count == 200 && $0.values.allSatisfy { $0 == 1 } })
        #expect(byNode.withLock { ($0["a"] ?? 0) > 0 && ($0["b"] ?? 0) > 0 })
        #expect(try storeB.summary() == [.completed: 200])
        for record in records { #expect(try storeB.proof(for: record.id) != nil) }
        await a.shutdown(gracePeriod: .seconds(5))
        await b.shutdown(gracePeriod: .seconds(5))
    }

    @Test func startErrorsAreClear() throws {
        let base = try PostgresTestDatabase.freshURL()
        var unreachable = base
        unreachable.port = 1
        #expect(throws: PostgresStoreError.unreachable) { try PostgresStore(url: unreachable) }
        var wrongPassword = base
        wrongPassword.password = "definitely-wrong"
        // The test server checks passwords for TCP connections (.ci/run: scram-sha-256).
        #expect(throws: PostgresStoreError.authenticationFailed) { try PostgresStore(url: wrongPassword) }
        var missing = base
        missing.database = "no_such_database_\(UInt32.random(in: 0...UInt32.max))"
        #expect(throws: PostgresStoreError.databaseMissing) { try PostgresStore(url: missing) }
        #expect(throws: PostgresStoreError.invalidURL) { try PostgresURL("mysql://x@y/z") }
        #expect(throws: PostgresStoreError.invalidURL) { try PostgresURL("postgres://x@y/z?bogus=1") }
    }

    @Test func aSchemaFromANewerVersionIsRefused() throws {
        let url = try PostgresTestDatabase.freshURL()
        let store = try PostgresStore(url: url)
        defer { try? store.dropSchema(); store.close() }
        try store.setSchemaVersionForTesting(PostgresStore.schemaVersion + 1)
        let error = #expect(throws: PostgresStoreError.schemaTooNew) { try PostgresStore(url: url) }
        #expect(error?.detail.contains("this build supports up to \(PostgresStore.schemaVersion)") == true)
    }
}

extension PostgresStoreTests {
    /// The reaper vacuums the task table once the node has claimed `vacuumAfterClaims` tasks
    /// (claimed tasks' entries otherwise stay at the front of the claim index).
    @Test func theReaperVacuumsTheTaskTableAfterEnoughClaims() throws {
        let store = try PostgresStore(url: PostgresTestDatabase.freshURL())
        defer { try? store.dropSchema(); store.close() }
        store.vacuumAfterClaims = 3
        _ = try store.submit((0..<4).map { contractRecord("v\($0)") }, retry: false, now: Date())
        let before = try store.manualVacuumCountForTesting()
        for _ in 0..<2 { _ = try store.claimNext(backend: "cpu", owner: "n/w", now: Date()) }
        _ = try store.reapExpired(now: Date())
        #expect(try store.manualVacuumCountForTesting() == before)
        let claimed = try #require(store.claimNext(backend: "cpu", owner: "n/w", now: Date()).first?.record)
        let proof = StoredProof(taskID: claimed.id, proofType: "t", artifact: ProofArtifact(proof: [1]), createdAt: Date())
        _ = try store.complete(claimed, owner: "n/w", storing: proof, now: Date(), thenClaim: "cpu")  // the fourth claim
        _ = try store.reapExpired(now: Date())
        let deadline = Date().addingTimeInterval(5)  // statistics reach other sessions shortly after
        while try store.manualVacuumCountForTesting() == before, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try store.manualVacuumCountForTesting() == before + 1)
    }
}
