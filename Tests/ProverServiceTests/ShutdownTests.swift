import Foundation
import ProverService
import Testing

/// The task's result, or nil if it did not finish within `seconds` (it is then cancelled, so a
/// test never hangs on a caller that is never resumed).
func settle<T: Sendable>(_ task: Task<T, any Error>, within seconds: Double) async -> Result<T, any Error>? {
    await withTaskGroup(of: Result<T, any Error>?.self) { group in
        group.addTask { await task.result }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return nil
        }
        let first = await group.next() ?? nil
        if first == nil { task.cancel() }
        group.cancelAll()
        return first
    }
}

func isShuttingDown<T>(_ result: Result<T, any Error>?) -> Bool {
    guard case .failure(let error)? = result else { return false }
    return (error as? ProverServiceError) == .shuttingDown
}

@Suite struct ShutdownTests {
    @Test func shutdownResumesWaitingCallersWithShuttingDown() async throws {
        let probe = Probe()
        let release = CancellationToken()
        let (service, _) = try makeService([blockingHandler("block", probe: probe, release: release), TestHandler(proofType: "echo")])
        let proving = Task { try await service.execute(request("block", "b")) }  // requeued by the shutdown
        try await eventually { probe.calls == 1 }
        let queued = Task { try await service.execute(request("echo", "q")) }    // never runs: one worker, busy
        let queuedID = TaskID(proofType: "echo", canonicalContext: Array("q".utf8), backend: "cpu")
        try await eventually { try service.summary()[.queued] == 1 }
        let waiting = Task { try await service.wait(for: queuedID) }
        try await Task.sleep(for: .milliseconds(20))  // both callers are suspended in their wait
        await service.shutdown(gracePeriod: .milliseconds(20))
        #expect(isShuttingDown(await settle(proving, within: 2)))
        #expect(isShuttingDown(await settle(queued, within: 2)))
        #expect(isShuttingDown(await settle(waiting, within: 2)))
        // After the shutdown, waiting and streams end at once.
        #expect(isShuttingDown(await settle(Task { try await service.wait(for: queuedID) }, within: 2)))
        let events = await settle(Task { var count = 0; for await _ in service.events() { count += 1 }; return count }, within: 2)
        #expect((try? events?.get()) == 0)
    }

    @Test func shutdownReturnsOnlyAfterItsThreadsHaveExited() async throws {
        let returned = CancellationToken()
        let tidy = TestHandler(proofType: "tidy", body: { _, token in
            while !token.isCancelled { token.sleep(seconds: 1) }
            Thread.sleep(forTimeInterval: 0.3)  // cleans up after seeing the cancel
            returned.cancel()
            throw CancellationError()
        })
        let (service, store) = try makeService([tidy], workers: ["cpu": 2], timeout: .seconds(60))
        let id = try await service.submit(request("tidy", "x")).id
        try await waitFor(service, id, .proving)
        await service.shutdown(gracePeriod: .milliseconds(20))
        #expect(returned.isCancelled, "shutdown waited for the handler that observed its token")
        #expect(service.runningThreadCount == 0)
        let record = try #require(try store.task(id))
        #expect(record.state == .queued && record.attempt == 0)
    }

    @Test func aProofReturnedWhenShutdownCancelsIsKept() async throws {
        let finisher = TestHandler(proofType: "finisher", body: { input, token in
            while !token.isCancelled { token.sleep(seconds: 1) }
            return ProofArtifact(proof: input.context)  // wraps up with what it has
        })
        let (service, store) = try makeService([finisher])
        let id = try await service.submit(request("finisher", "x")).id
        try await waitFor(service, id, .proving)
        await service.shutdown(gracePeriod: .milliseconds(20))
        #expect(try store.task(id)?.state == .completed)
        #expect(try store.proof(for: id)?.artifact.proof == Array("x".utf8))
    }

    @Test func shutdownTakesOverAHandlerThatIgnoresItsToken() async throws {
        let probe = Probe()
        let release = CancellationToken()
        let stubborn = TestHandler(proofType: "stubborn", body: { input, _ in
            probe.enter()
            defer { probe.leave() }
            release.sleep(seconds: 30)
            return ProofArtifact(proof: input.context)
        })
        let log = LogCapture()
        let (service, store) = try makeService([stubborn], log: log)
        let id = try await service.submit(request("stubborn", "x")).id
        try await eventually { probe.calls == 1 }
        let started = Date()
        await service.shutdown(gracePeriod: .milliseconds(20), cancellationGrace: .milliseconds(100))
        #expect(Date().timeIntervalSince(started) < 15)  // well short of the handler's 30 s
        #expect(try store.task(id)?.state == .queued)
        #expect(log.all.contains { $0.contains("did not return") })
        release.cancel()
        try await eventually { service.runningThreadCount == 0 }  // the handler returned, its worker ended
        #expect(try store.task(id)?.state == .queued, "the late result is dropped")
        #expect(try store.proof(for: id) == nil)
    }

    @Test func aServiceThatWasShutDownCannotStart() async throws {
        let (service, _) = try makeService([TestHandler(proofType: "echo")], start: false)
        await service.shutdown(gracePeriod: .seconds(1))
        #expect(throws: ProverServiceError.shuttingDown) { try service.start() }
        #expect(service.runningThreadCount == 0)
    }
}
