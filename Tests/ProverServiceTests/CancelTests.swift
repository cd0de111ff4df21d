import Foundation
import ProverService
import Testing

@Suite struct CancelTests {
    @Test func cancelQueuedAndWaitingTasksAtOnceAndFailTheirDependents() async throws {
        let probe = Probe()
        let release = CancellationToken()
        let top = TestHandler(proofType: "top", deps: { c in [ProofRequest(proofType: "mid", context: c)] })
        let mid = TestHandler(proofType: "mid", deps: { c in [ProofRequest(proofType: "leaf", context: c)] })
        let leaf = TestHandler(proofType: "leaf", body: { input, _ in
            probe.enter("leaf-" + String(decoding: input.context, as: UTF8.self))
            probe.leave()
            return ProofArtifact(proof: [])
        })
        let (service, _) = try makeService([blockingHandler("block", probe: probe, release: release), top, mid, leaf])
        try await service.submit(request("block", "b"))
        try await eventually { probe.calls == 1 }
        let topRecord = try await service.submit(request("top", "t"))
        #expect(topRecord.state == .waiting)
        let leafID = try service.list(TaskQuery(proofType: "leaf")).tasks[0].id
        let midID = try service.list(TaskQuery(proofType: "mid")).tasks[0].id
        #expect(try service.status(leafID).state == .queued)
        // Queued → cancelled at once; dependents fail with the cause.
        #expect(try service.cancel(leafID).state == .cancelled)
        #expect(try service.status(midID).lastError?.code == "dependency_cancelled")
        #expect(try service.status(topRecord.id).state == .failed)
        // Waiting → cancelled at once.
        let other = try await service.submit(request("top", "u"))
        #expect(try service.cancel(other.id).state == .cancelled)
        release.cancel()
        try await eventually { try service.summary()[.completed] >= 3 }
        #expect(!probe.log.contains("leaf-t"), "a cancelled task never runs")
        #expect(probe.log.contains("leaf-u"))
        #expect(try service.status(other.id).state == .cancelled)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func cancelProvingTaskStopsTheHandlerThroughItsToken() async throws {
        let probe = Probe()
        let observed = CancellationToken()
        let long = TestHandler(proofType: "long", body: { input, token in
            probe.enter()
            defer { probe.leave() }
            let finishedNaturally = token.sleep(seconds: 30)
            if !finishedNaturally { observed.cancel() }
            try token.checkCancellation()
            return ProofArtifact(proof: input.context)
        })
        let dependent = TestHandler(proofType: "dep", deps: { c in [ProofRequest(proofType: "long", context: c)] })
        let (service, _) = try makeService([long, dependent], workers: ["cpu": 2])
        let started = Date()
        let waiter = Task { try await service.execute(request("dep", "x")) }
        try await eventually { probe.calls == 1 }
        let longID = try service.list(TaskQuery(proofType: "long")).tasks[0].id
        #expect(try service.cancel(longID).state == .proving)
        try await waitFor(service, longID, .cancelled)
        await #expect(throws: ProverServiceError.taskFailed) { try await waiter.value }
        #expect(observed.isCancelled)
        #expect(probe.maxRunning == 1 && Date().timeIntervalSince(started) < 20)  // short of the 30 s sleep
        try await eventually { probe.calls == 1 && service.inFlightCount == 0 }
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func cancelRetryingPendingAndFinalTasks() async throws {
        let clock = ManualClock()
        let handler = TestHandler(proofType: "down", body: { _, _ in throw HandlerError.transient("later") })
        let ok = TestHandler(proofType: "ok")
        let broken = TestHandler(proofType: "broken", body: { _, _ in throw HandlerError.permanent("no") })
        let (service, store) = try makeService([handler, ok, broken], retry: RetryPolicy(maxAttempts: 5, baseDelay: .seconds(10)), clock: clock)
        // retrying → cancelled; the retry timer then finds nothing to do.
        let id = try await service.submit(request("down", "r")).id
        try await waitFor(service, id, .retrying)
        #expect(try service.cancel(id).state == .cancelled)
        clock.advance(by: 60)
        try await Task.sleep(for: .milliseconds(20))
        #expect(try service.status(id).state == .cancelled)
        // pending → cancelled (a pending row, as left by an interrupted submit of another store).
        let pendingID = TaskID(proofType: "ok", canonicalContext: [1], backend: "cpu")
        try store.withTransaction { try $0.insert(TaskRecord(id: pendingID, proofType: "ok", backend: "cpu", context: [1], createdAt: clock.now())) }
        #expect(try service.cancel(pendingID).state == .cancelled)
        // completed and failed are final: cancel changes nothing.
        let done = try await service.execute(request("ok", "c")).taskID
        #expect(try service.cancel(done).state == .completed)
        let failed = try await service.submit(request("broken", "f")).id
        try await waitFor(service, failed, .failed)
        #expect(try service.cancel(failed).state == .failed)
        #expect(try service.cancel(id).state == .cancelled)
        // Cancelled → pending again by resubmitting with retry.
        let again = try await service.submit(request("down", "r"), retry: true)
        #expect(again.state == .queued || again.state == .proving || again.state == .retrying)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func timeoutIsATransientFailure() async throws {
        let probe = Probe()
        let slow = TestHandler(proofType: "slow", body: { input, token in
            probe.enter()
            defer { probe.leave() }
            token.sleep(seconds: 30)
            try token.checkCancellation()
            return ProofArtifact(proof: input.context)
        })
        let (service, _) = try makeService([slow], retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)))
        let started = Date()
        let id = try await service.submit(request("slow", "x", timeout: .milliseconds(50))).id
        let record = try await waitFor(service, id, .failed)
        #expect(record.lastError?.code == "timeout")
        #expect(record.lastError?.isTransient == true)
        #expect(record.attempt == 2)
        #expect(probe.calls == 2)
        #expect(Date().timeIntervalSince(started) < 25)  // cut short: the handler would sleep 30 s
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
