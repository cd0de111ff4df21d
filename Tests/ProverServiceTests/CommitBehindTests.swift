import Foundation
import ProverService
import Synchronization
import Testing

/// A worker whose task ran long enough hands the outcome to its pool's committer thread and
/// claims the next task at once (`ServiceConfiguration.commitBehindAfter`). These tests force
/// that path (`.zero`) and hold commits to see the overlap and the guarantees around it.
@Suite struct CommitBehindTests {
    /// A handler that counts its calls.
    private func counting(_ type: String, probe: Probe, sleep: Double = 0) -> TestHandler {
        TestHandler(proofType: type, body: { input, token in
            probe.enter(String(decoding: input.context, as: UTF8.self))
            defer { probe.leave() }
            if sleep > 0 { _ = token.sleep(seconds: sleep) }
            return ProofArtifact(proof: input.context, publicOutputs: input.context)
        })
    }

    /// Tasks a and b on one worker with commits held and the overlap forced: returns once a's
    /// outcome is held in the committer and b's handler has run (the overlap itself).
    private func twoTasksWithTheFirstCommitHeld() async throws -> (ProverService, InstrumentedStore, Probe, [TaskID]) {
        let probe = Probe()
        let (service, store) = try makeInstrumentedService([counting("echo", probe: probe)], start: false, commitBehindAfter: .zero, batching: nil)
        store.holdCompletions()
        let ids = try await service.submit([request("echo", "a"), request("echo", "b")]).map(\.id)
        try service.start()
        try await eventually { store.completionHeld.isCancelled && probe.calls == 2 }
        return (service, store, probe, ids)
    }

    @Test func theNextTaskRunsWhileThePreviousOutcomeIsStillCommitting() async throws {
        let (service, store, probe, ids) = try await twoTasksWithTheFirstCommitHeld()
        #expect(try service.status(ids[0]).state == .proving, "a's outcome is still in the committer")
        store.releaseCompletions.cancel()
        for id in ids { try await waitFor(service, id, .completed) }
        #expect(probe.calls == 2)
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func withoutCommitBehindTheWorkerCommitsBeforeItClaims() async throws {
        let probe = Probe()
        let (service, store) = try makeInstrumentedService([counting("echo", probe: probe)], start: false, commitBehindAfter: nil)
        store.holdCompletions()
        let ids = try await service.submit([request("echo", "a"), request("echo", "b")]).map(\.id)
        try service.start()
        try await eventually { store.completionHeld.isCancelled }
        try await Task.sleep(for: .milliseconds(100))
        #expect(probe.calls == 1, "b is claimed together with a's completion, which is held")
        store.releaseCompletions.cancel()
        for id in ids { try await waitFor(service, id, .completed) }
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func aCancelWhileTheOutcomeWaitsInTheCommitterReportsTheFinalState() async throws {
        let probe = Probe()
        let (service, store) = try makeInstrumentedService([counting("echo", probe: probe)], commitBehindAfter: .zero, batching: nil)
        store.holdCompletions()
        let id = try await service.submit(request("echo", "x")).id
        try await eventually { store.completionHeld.isCancelled }
        let cancel = ThreadCall { try service.cancel(id) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!cancel.isDone, "the cancel waits for the outcome being committed")
        store.releaseCompletions.cancel()
        try await eventually { cancel.isDone }
        #expect(try cancel.value().state == .completed)
        #expect(try service.status(id).state == .completed)
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func shutdownReturnsOnlyAfterTheHandedOverOutcomesAreCommitted() async throws {
        let (service, store, _, ids) = try await twoTasksWithTheFirstCommitHeld()
        let stopped = Mutex(false)
        let shutdown = Task {
            await service.shutdown(gracePeriod: .seconds(10))
            stopped.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!stopped.withLock { $0 }, "shutdown waits for the held commit")
        store.releaseCompletions.cancel()
        await shutdown.value
        for id in ids {
            #expect(try store.base.task(id)?.state == .completed)
            #expect(try store.base.proof(for: id) != nil)
        }
        #expect(service.runningThreadCount == 0)
    }

    @Test func manyTasksOnTwoWorkersCompleteExactlyOnceEach() async throws {
        let probe = Probe()
        let (service, store) = try makeService([counting("echo", probe: probe, sleep: 0.002)], workers: ["cpu": 2],
                                               start: false, commitBehindAfter: .zero, batching: nil)
        let stream = service.events(states: [.completed])
        let ids = try await service.submit((0..<40).map { request("echo", "t\($0)") }).map(\.id)
        try service.start()
        var completions: [TaskID: Int] = [:]
        for await event in stream {
            completions[event.id, default: 0] += 1
            if completions.count == ids.count { break }
        }
        #expect(completions.values.allSatisfy { $0 == 1 })
        #expect(probe.calls == ids.count, "no task ran twice")
        for id in ids {
            let record = try #require(try store.task(id))
            #expect(record.state == .completed && record.attempt == 0)
            #expect(try store.proof(for: id)?.artifact.proof == record.context)
        }
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func aDependentTaskIsQueuedWhenTheCommitterCompletesItsDependency() async throws {
        let probe = Probe()
        let leaf = counting("leaf", probe: probe)
        let root = TestHandler(proofType: "root", deps: { ctx in [ProofRequest(proofType: "leaf", context: ctx)] }, body: { input, _ in
            probe.enter("root")
            defer { probe.leave() }
            return ProofArtifact(proof: input.dependencies.flatMap(\.artifact.proof))
        })
        let (service, _) = try makeService([leaf, root], commitBehindAfter: .zero, batching: nil)
        let proof = try await service.execute(request("root", "x"))
        #expect(proof.artifact.proof == Array("x".utf8))
        #expect(probe.log == ["x", "root"])
        await service.shutdown(gracePeriod: .seconds(5))
    }
}
