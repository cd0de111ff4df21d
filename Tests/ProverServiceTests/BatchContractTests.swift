import Foundation
import ProverService
import Testing

/// The batch operations of the store contract (several claims at once, a batch of results in
/// one transaction, unstarted claims handed back), on every store.
@Suite struct BatchContractTests {
    private func proof(_ task: TaskRecord) -> StoredProof {
        StoredProof(taskID: task.id, proofType: task.proofType, artifact: ProofArtifact(proof: task.context), createdAt: Date())
    }

    private func name(_ record: TaskRecord) -> String { String(decoding: record.context, as: UTF8.self) }

    @Test(arguments: StoreKind.available)
    func aClaimTakesUpToItsLimitBestFirst(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let plan = [contractRecord("low1"), contractRecord("high", priority: 5), contractRecord("low2"), contractRecord("low3"),
                    contractRecord("gpu", backend: "gpu")]
        _ = try s.store.submit(plan, retry: false, now: Date())
        let first = try s.store.claimNext(backend: "cpu", owner: "w", now: Date(), limit: 3)
        #expect(first.map { name($0.record) } == ["high", "low1", "low2"])
        #expect(first.allSatisfy { $0.from == .queued && $0.to == .proving && $0.record.owner == "w" })
        #expect(try s.store.claimNext(backend: "cpu", owner: "w", now: Date(), limit: 3).map { name($0.record) } == ["low3"])
        #expect(try s.store.claimNext(backend: "cpu", owner: "w", now: Date(), limit: 3).isEmpty)
        #expect(try s.store.summary() == [.proving: 4, .queued: 1])
    }

    @Test(arguments: StoreKind.available)
    func releasedClaimsGoBackToTheirPlaceWithTheirAttempts(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        _ = try s.store.submit(["a", "b", "c"].map { contractRecord($0) }, retry: false, now: Date())
        let claimed = try s.store.claimNext(backend: "cpu", owner: "w", now: Date(), limit: 2).map(\.record)
        #expect(claimed.map(name) == ["a", "b"])
        let released = try s.store.release(claimed, owner: "w", now: Date())
        #expect(released.map(\.to) == [.queued, .queued])
        #expect(released.allSatisfy { $0.record.attempt == 0 && $0.record.owner == nil })
        // Their place in the queue is kept: a and b are still ahead of c.
        #expect(try s.store.claimNext(backend: "cpu", owner: "v", now: Date(), limit: 3).map { name($0.record) } == ["a", "b", "c"])
        // A claim that is no longer the caller's is left alone.
        let taken = try #require(try s.store.task(claimed[0].id))
        #expect(try s.store.release([taken], owner: "w", now: Date()).isEmpty)
        #expect(try s.store.task(taken.id)?.owner == "v")
    }

    @Test(arguments: StoreKind.available)
    func aBatchCompletesEveryTaskQueuesDependentsAndClaimsSeveral(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        let a = contractRecord("a"), b = contractRecord("b")
        let c = contractRecord("c", deps: [a.id, b.id])
        _ = try s.store.submit([a, b, c, contractRecord("d"), contractRecord("e")], retry: false, now: Date())
        let claimed = try s.store.claimNext(backend: "cpu", owner: "w", now: Date(), limit: 2).map(\.record)
        let done = try s.store.complete(claimed.map { ($0, proof($0)) }, owner: "w", now: Date(), thenClaim: "cpu", limit: 3)
        #expect(done.transitions.filter { $0.to == .completed }.map(\.id) == [a.id, b.id])
        #expect(done.transitions.contains { $0.id == c.id && $0.from == .waiting && $0.to == .queued })
        // c was queued after d and e, so it is claimed last.
        #expect(done.claimed.map(name) == ["d", "e", "c"])
        #expect(done.claimed.allSatisfy { $0.state == .proving && $0.owner == "w" })
        for task in claimed { #expect(try s.store.proof(for: task.id)?.artifact.proof == task.context) }
    }

    @Test(arguments: StoreKind.available)
    func aBatchWithOneLostTaskIsRolledBackWhole(_ kind: StoreKind) throws {
        let s = try kind.make()
        defer { s.dispose() }
        _ = try s.store.submit(["a", "b"].map { contractRecord($0) }, retry: false, now: Date())
        let claimed = try s.store.claimNext(backend: "cpu", owner: "w", now: Date(), limit: 2).map(\.record)
        _ = try s.store.requeue(claimed[1].id, owner: "w", now: Date())  // b's claim is lost
        #expect(throws: ProverServiceError.stateConflict) {
            try s.store.complete(claimed.map { ($0, proof($0)) }, owner: "w", now: Date(), thenClaim: "cpu", limit: 2)
        }
        #expect(try s.store.task(claimed[0].id)?.state == .proving)
        #expect(try s.store.proof(for: claimed[0].id) == nil)
        #expect(try s.store.task(claimed[1].id)?.state == .queued)
    }
}
