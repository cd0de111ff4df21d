import Foundation
import ProverService
import Testing

@Suite struct LifecycleTests {
    @Test func startRequeuesProvingTasksWithoutUsingAnAttemptAndRebuildsRetryTimers() async throws {
        let clock = ManualClock()
        let path = try temporaryDirectory().appendingPathComponent("r.sqlite").path
        let now = clock.now()
        let provingID = TaskID(proofType: "ok", canonicalContext: [1], backend: "cpu")
        let retryingID = TaskID(proofType: "ok", canonicalContext: [2], backend: "cpu")
        do {
            let store = try SQLiteStore(path: path)
            try store.withTransaction { tx in
                try tx.insert(TaskRecord(id: provingID, proofType: "ok", backend: "cpu", context: [1], state: .proving, attempt: 1,
                                         owner: "dead-process/w0", createdAt: now))
                try tx.insert(TaskRecord(id: retryingID, proofType: "ok", backend: "cpu", context: [2], state: .retrying, attempt: 2,
                                         nextRunAt: now.addingTimeInterval(30), createdAt: now))
            }
        }
        let probe = Probe()
        let ok = TestHandler(proofType: "ok", body: { input, _ in probe.enter(); probe.leave(); return ProofArtifact(proof: input.context) })
        let (service, _) = try makeService([ok], clock: clock, path: path)
        let recovered = try await waitFor(service, provingID, .completed)
        #expect(recovered.attempt == 1)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try service.status(retryingID).state == .retrying)
        clock.advance(by: 30)
        let retried = try await waitFor(service, retryingID, .completed)
        #expect(retried.attempt == 2)
        #expect(probe.calls == 2)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func pruneDeletesOldFinishedTasksButKeepsProofsAndNeededDependencies() async throws {
        let clock = ManualClock()
        let probe = Probe()
        let release = CancellationToken()
        let top = TestHandler(proofType: "top", deps: { c in [ProofRequest(proofType: "ok", context: c), ProofRequest(proofType: "block", context: c)] })
        let (service, _) = try makeService([TestHandler(proofType: "ok"), blockingHandler("block", probe: probe, release: release), top],
                                           workers: ["cpu": 2], clock: clock)
        let old1 = try await service.execute(request("ok", "1")).taskID
        let old2 = try await service.execute(request("ok", "2")).taskID
        let waiting = try await service.submit(request("top", "3"))
        let needed = try service.list(TaskQuery(proofType: "ok")).tasks.first { $0.context == Array("3".utf8) }!.id
        try await waitFor(service, needed, .completed)
        clock.advance(by: 100)
        let recent = try await service.execute(request("ok", "4")).taskID
        #expect(try service.prune(olderThan: .seconds(50)) == 2)
        #expect(throws: ProverServiceError.unknownTask) { try service.status(old1) }
        #expect(throws: ProverServiceError.unknownTask) { try service.status(old2) }
        #expect(try service.proof(old1) != nil)
        #expect(try service.status(needed).state == .completed, "an unfinished task still needs it")
        #expect(try service.status(recent).state == .completed)
        #expect(try service.status(waiting.id).state == .waiting)
        release.cancel()
        try await waitFor(service, waiting.id, .completed)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func shutdownLetsInFlightWorkFinishWithinTheGracePeriod() async throws {
        let probe = Probe()
        let release = CancellationToken()
        let work = TestHandler(proofType: "work", body: { input, _ in
            probe.enter()
            defer { probe.leave() }
            release.sleep(seconds: 10) // ignores its own token: only the release ends it
            return ProofArtifact(proof: input.context)
        })
        let (service, _) = try makeService([work])
        let first = try await service.submit(request("work", "1")).id
        try await eventually { probe.calls == 1 }
        let second = try await service.submit(request("work", "2")).id
        let stopping = Task { await service.shutdown(gracePeriod: .seconds(5)) }
        // Wait until the shutdown has begun (no fixed sleep: the machine may be loaded); tasks
        // accepted before that just stay queued.
        var attempt = 0
        while attempt < 2_500, (try? await service.submit(request("work", "before-stop-\(attempt)"))) != nil {
            attempt += 1
            try await Task.sleep(for: .milliseconds(2))
        }
        await #expect(throws: ProverServiceError.shuttingDown) { try await service.submit(request("work", "3")) }
        release.cancel()
        await stopping.value
        #expect(try service.status(first).state == .completed)
        #expect(try service.status(second).state == .queued, "no new claims after shutdown starts")
        #expect(probe.calls == 1)
    }

    @Test func shutdownRequeuesWorkThatOutlivesTheGracePeriod() async throws {
        let probe = Probe()
        let observed = CancellationToken()
        let long = TestHandler(proofType: "long", body: { input, token in
            probe.enter()
            defer { probe.leave() }
            if !token.sleep(seconds: 30) { observed.cancel() }
            try token.checkCancellation()
            return ProofArtifact(proof: input.context)
        })
        let (service, store) = try makeService([long])
        let id = try await service.submit(request("long", "x")).id
        try await eventually { probe.calls == 1 }
        let started = Date()
        await service.shutdown(gracePeriod: .milliseconds(50))
        #expect(Date().timeIntervalSince(started) < 15)  // well short of the handler's 30 s
        let record = try #require(try store.task(id))
        #expect(record.state == .queued)
        #expect(record.attempt == 0)
        try await eventually { observed.isCancelled && probe.calls == 1 }
    }
}
