import Foundation
import ProverService
import Testing

@Suite struct StoreFaultTests {
    @Test func aStoreErrorWhileClaimingIsLoggedAndTheWorkerKeepsClaiming() async throws {
        let log = LogCapture()
        let (service, store) = try makeInstrumentedService([TestHandler(proofType: "echo")], log: log)
        try await eventually { store.claimAttempts >= 1 }  // the idle worker looked once
        store.failClaims(3)
        let id = try await service.submit(request("echo", "x")).id
        try await waitFor(service, id, .completed)
        #expect(store.claimAttempts >= 5)
        #expect(log.all.filter { $0.contains("injected claim failure") }.count == 3)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func shutdownStopsAWorkerWhoseClaimsKeepFailing() async throws {
        let log = LogCapture()
        let (service, store) = try makeInstrumentedService([TestHandler(proofType: "echo")], log: log)
        try await eventually { store.claimAttempts >= 1 }
        store.failClaims(.max)
        try await service.submit(request("echo", "x"))
        try await eventually { store.claimAttempts >= 4 }  // backing off, still trying
        let started = Date()
        await service.shutdown(gracePeriod: .seconds(5))
        #expect(Date().timeIntervalSince(started) < 4.5, "the backoff sleep ends at shutdown, before the 5 s grace")
        #expect(service.runningThreadCount == 0)
        let attempts = store.claimAttempts
        try await Task.sleep(for: .milliseconds(300))
        #expect(store.claimAttempts == attempts, "no claims after shutdown")
    }

    @Test func aStoreErrorWhenARetryTimerFiresIsRetriedNotDropped() async throws {
        let probe = Probe()
        let flaky = TestHandler(proofType: "flaky", body: { input, _ in
            probe.enter()
            probe.leave()
            if probe.calls == 1 { throw HandlerError.transient("once") }
            return ProofArtifact(proof: input.context)
        })
        let log = LogCapture()
        let (service, store) = try makeInstrumentedService([flaky], retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5)), log: log)
        store.failRequeueRetries(2)
        let result = await settle(Task { try await service.execute(request("flaky", "x")) }, within: 5)
        #expect((try? result?.get())?.artifact.proof == Array("x".utf8), "the task left retrying once the store recovered")
        #expect(log.all.filter { $0.contains("injected requeue failure") }.count == 2)
        #expect(probe.calls == 2)
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
