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
        #expect(Date().timeIntervalSince(started) < 2, "the backoff sleep ends at shutdown")
        #expect(service.runningThreadCount == 0)
        let attempts = store.claimAttempts
        try await Task.sleep(for: .milliseconds(300))
        #expect(store.claimAttempts == attempts, "no claims after shutdown")
    }
}
