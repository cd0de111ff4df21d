import Foundation
import ProverService
import Testing

@Suite struct StoreThreadTests {
    /// The async API hops to the service's store thread for every store call: no thread of
    /// Swift's cooperative pool waits on SQLite.
    @Test func asyncCallsRunStoreWorkOffTheCooperativePool() async throws {
        let (service, store) = try makeInstrumentedService([TestHandler(proofType: "echo")])
        store.clearThreadNames()  // start() is synchronous: its recovery runs on the caller
        try await service.submit(request("echo", "a"))
        try await service.submit([request("echo", "b"), request("echo", "c")])
        let proof = try await service.execute(request("echo", "d"))
        #expect(try await service.wait(for: proof.taskID).state == .completed)
        let names = Set(store.threadNames)
        #expect(names.contains("prover-store"))
        #expect(names.allSatisfy { $0 == "prover-store" || $0.hasPrefix("prover-cpu-") || $0 == "prover-timers" }, "\(names)")
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
