import Foundation
import ProverService
import Synchronization
import Testing

/// One contract, every store: SQLite always, PostgreSQL when `PROVER_TEST_POSTGRES_URL` is set.
@Suite struct StoreContractTests {
    @Test("PostgreSQL half of the store contract is configured", .enabled(if: PostgresTestDatabase.url != nil, PostgresTestDatabase.skipReason))
    func postgresConfigured() {}

    @Test(arguments: StoreKind.available)
    func submitIsIdempotentAndDeduplicatedByID(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let a = try s.store.submit([contractRecord("a")], retry: false, now: Date())
        #expect(a.records.map(\.state) == [.queued])
        #expect(a.transitions.map(\.to) == [.pending, .queued])
        let again = try s.store.submit([contractRecord("a")], retry: false, now: Date())
        #expect(again.records.map(\.id) == a.records.map(\.id))
        #expect(again.transitions.isEmpty)
        #expect(try s.store.summary() == [.queued: 1])
    }

    @Test(arguments: StoreKind.available)
    func claimsTakePriorityThenFIFOOfTheirBackend(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let plan = [contractRecord("low1"), contractRecord("high", priority: 5), contractRecord("low2"), contractRecord("gpu", backend: "gpu")]
        _ = try s.store.submit(plan, retry: false, now: Date())
        var order: [String] = []
        while let claimed = try s.store.claimNext(backend: "cpu", owner: "w", now: Date()).first?.record {
            #expect(claimed.state == .proving && claimed.owner == "w")
            order.append(String(decoding: claimed.context, as: UTF8.self))
        }
        #expect(order == ["high", "low1", "low2"])
        #expect(try s.store.claimNext(backend: "gpu", owner: "g", now: Date()).first?.record.backend == "gpu")
    }

    @Test(arguments: StoreKind.available)
    func completionIsGuardedByStateAndOwner(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let id = try s.store.submit([contractRecord("x")], retry: false, now: Date()).records[0].id
        let claimed = try #require(s.store.claimNext(backend: "cpu", owner: "me", now: Date()).first?.record)
        #expect(throws: ProverServiceError.stateConflict) { try s.store.complete(id, owner: "someone-else", now: Date()) }
        let proof = StoredProof(taskID: id, proofType: "t", artifact: ProofArtifact(proof: [1, 2]), createdAt: Date())
        let done = try s.store.complete(claimed, owner: "me", storing: proof, now: Date(), thenClaim: nil)
        #expect(done.transitions.map(\.to) == [.completed])
        // A late result (requeued and re-claimed meanwhile, or already final) never overwrites.
        #expect(throws: ProverServiceError.stateConflict) { try s.store.complete(claimed, owner: "me", storing: proof, now: Date(), thenClaim: nil) }
        #expect(throws: ProverServiceError.stateConflict) { try s.store.requeue(id, owner: "me", now: Date()) }
        #expect(try s.store.task(id)?.state == .completed)
    }

    @Test(arguments: StoreKind.available)
    func completingQueuesReadyDependentsAndFailureCascades(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let a = contractRecord("a"), b = contractRecord("b")
        let c = contractRecord("c", deps: [a.id, b.id])
        let d = contractRecord("d", deps: [c.id])
        let out = try s.store.submit([a, b, c, d], retry: false, now: Date())
        #expect(out.records.map(\.state) == [.queued, .queued, .waiting, .waiting])
        _ = try s.store.claimNext(backend: "cpu", owner: "w", now: Date())
        _ = try s.store.claimNext(backend: "cpu", owner: "w", now: Date())
        _ = try s.store.complete(a.id, owner: "w", now: Date())
        #expect(try s.store.task(c.id)?.state == .waiting)
        let second = try s.store.complete(b.id, owner: "w", now: Date())
        #expect(second.map(\.to) == [.completed, .queued])
        let claimedC = try #require(s.store.claimNext(backend: "cpu", owner: "w", now: Date()).first)
        #expect(claimedC.id == c.id)
        let failed = try s.store.fail(c.id, owner: "w", failure: TaskFailure(code: "bad", message: "no", isTransient: false),
                                      policy: .default, random: 0.5, now: Date())
        #expect(failed.map(\.to) == [.failed, .failed])
        #expect(try s.store.task(d.id)?.lastError?.code == "dependency_failed")
    }

    @Test(arguments: StoreKind.available)
    func transientFailuresRetryThenFailAndCountAttempts(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let id = try s.store.submit([contractRecord("r")], retry: false, now: Date()).records[0].id
        let policy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1))
        _ = try s.store.claimNext(backend: "cpu", owner: "w", now: Date())
        let first = try s.store.fail(id, owner: "w", failure: TaskFailure(code: "x", message: "t", isTransient: true), policy: policy, random: 0.5, now: Date())
        #expect(first.first?.record.state == .retrying && first.first?.record.attempt == 1)
        Thread.sleep(forTimeInterval: 0.01)
        _ = try s.store.requeueRetry(id, now: Date())
        _ = try s.store.claimNext(backend: "cpu", owner: "w", now: Date())
        // Handing a task back (shutdown) does not use an attempt.
        _ = try s.store.requeue(id, owner: "w", now: Date())
        #expect(try s.store.task(id)?.attempt == 1)
        _ = try s.store.claimNext(backend: "cpu", owner: "w", now: Date())
        let last = try s.store.fail(id, owner: "w", failure: TaskFailure(code: "x", message: "t", isTransient: true), policy: policy, random: 0.5, now: Date())
        #expect(last.first?.record.state == .failed && last.first?.record.attempt == 2)
        // Resubmitting with retry starts over.
        let again = try s.store.submit([contractRecord("r")], retry: true, now: Date())
        #expect(again.records[0].state == .queued && again.records[0].attempt == 0)
    }

    @Test(arguments: StoreKind.available)
    func cancelAndIllegalTransitions(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let a = contractRecord("a")
        let b = contractRecord("b", deps: [a.id])
        _ = try s.store.submit([a, b], retry: false, now: Date())
        #expect(try s.store.cancel(a.id, now: Date()).map(\.to) == [.cancelled, .failed])
        #expect(try s.store.task(b.id)?.lastError?.code == "dependency_cancelled")
        #expect(throws: ProverServiceError.illegalTransition) { try s.store.applyTransition(a.id, from: .cancelled, to: .completed, now: Date()) }
        #expect(throws: ProverServiceError.stateConflict) { try s.store.applyTransition(a.id, from: .queued, to: .proving, now: Date()) }
    }

    @Test(arguments: StoreKind.available)
    func proofsAreWriteOnce(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let id = TaskID(proofType: "t", canonicalContext: [1], backend: "cpu")
        let artifact = ProofArtifact(proof: Array(repeating: 7, count: 100_000), publicOutputs: [0, 255], metadata: ["k": "v"])
        try s.store.putProof(StoredProof(taskID: id, proofType: "t", artifact: artifact, createdAt: Date()))
        try s.store.putProof(StoredProof(taskID: id, proofType: "t", artifact: artifact, createdAt: Date()))
        #expect(throws: ProverServiceError.proofConflict) {
            try s.store.putProof(StoredProof(taskID: id, proofType: "t", artifact: ProofArtifact(proof: [9]), createdAt: Date()))
        }
        #expect(try s.store.proof(for: id)?.artifact == artifact)
        #expect(try s.store.proof(for: TaskID(proofType: "t", canonicalContext: [2], backend: "cpu")) == nil)
    }

    @Test(arguments: StoreKind.available)
    func listPagesSummaryCountsAndPruneKeepsNeededTasks(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let plan = (0..<25).map { contractRecord("l\($0)") }
        _ = try s.store.submit(plan, retry: false, now: Date())
        var seen: [TaskID] = []
        var cursor: String?
        repeat {
            let page = try s.store.list(TaskQuery(states: [.queued], limit: 10, cursor: cursor))
            seen += page.tasks.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(Set(seen) == Set(plan.map(\.id)) && seen.count == 25)
        #expect(throws: ProverServiceError.invalidCursor) { try s.store.list(TaskQuery(cursor: "nope")) }
        for record in plan.prefix(5) { _ = try s.store.cancel(record.id, now: Date()) }
        #expect(try s.store.summary() == [.queued: 20, .cancelled: 5])
        #expect(try s.store.prune(updatedBefore: Date().addingTimeInterval(60)) == 5)
        #expect(try s.store.summary() == [.queued: 20])
    }

    @Test(arguments: StoreKind.available)
    func serviceRunsADiamondWithRetriesExactlyOnce(_ kind: StoreKind) async throws {
        let s = try kind.make()
        defer { s.dispose() }
        let probe = Probe()
        let flaky = FlakyOnce()
        let leaf = TestHandler(proofType: "leaf", body: { input, _ in
            probe.enter("leaf-\(String(decoding: input.context, as: UTF8.self))")
            defer { probe.leave() }
            if flaky.failFirst(input.taskID) { throw HandlerError.transient("first try fails") }
            return ProofArtifact(proof: input.context)
        })
        let root = TestHandler(proofType: "root", deps: { _ in
            [ProofRequest(proofType: "leaf", context: Array("x".utf8)), ProofRequest(proofType: "leaf", context: Array("y".utf8))]
        }, body: { input, _ in
            probe.enter("root")
            defer { probe.leave() }
            return ProofArtifact(proof: input.dependencies.flatMap(\.artifact.proof))
        })
        let service = try s.service([leaf, root], workers: ["cpu": 2])
        let proof = try await service.execute(ProofRequest(proofType: "root", context: [1]))
        #expect(proof.artifact.proof.sorted() == Array("xy".utf8).sorted())
        #expect(probe.log.last == "root")
        #expect(probe.calls == 5)  // each leaf twice (one transient failure), root once
        let summary = try service.summary()
        #expect(summary[.completed] == 3 && summary.total == 3)
        for record in try service.list().tasks where record.proofType == "leaf" { #expect(record.attempt == 1) }
        await service.shutdown(gracePeriod: .seconds(5))
    }
}

/// Fails the first run of each task.
final class FlakyOnce: Sendable {
    private let seen = Mutex<Set<TaskID>>([])
    func failFirst(_ id: TaskID) -> Bool { seen.withLock { $0.insert(id).inserted } }
}
