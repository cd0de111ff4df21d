import Foundation
import ProverService
import Testing

@Suite struct PoolTests {
    @Test func workerLimitsAreNeverExceededAndHandlersRunOnDedicatedThreads() async throws {
        let cpu = Probe()
        let gpu = Probe()
        let threads = Probe()
        let work = TestHandler(proofType: "work", body: { input, _ in
            let probe = input.backend == "cpu" ? cpu : gpu
            probe.enter()
            defer { probe.leave() }
            // Hold each cpu handler until both cpu workers have overlapped once (or 2 s passed),
            // so the test does not depend on the scheduler of a loaded machine to show 2.
            let deadline = Date().addingTimeInterval(2)
            while input.backend == "cpu", cpu.maxRunning < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
            threads.enter(ServiceThreads.currentName ?? "not a worker: \(Thread.current.name ?? "?")")
            threads.leave()
            Thread.sleep(forTimeInterval: 0.003)
            return ProofArtifact(proof: input.context)
        })
        let (service, _) = try makeService([work], workers: ["cpu": 2, "gpu": 1])
        var requests: [ProofRequest] = []
        for i in 0..<30 {
            requests.append(request("work", "c\(i)", backend: "cpu"))
            requests.append(request("work", "g\(i)", backend: "gpu"))
        }
        let ids = try await service.submit(requests).map(\.id)
        for id in ids { try await waitFor(service, id, .completed) }
        #expect(cpu.calls == 30 && gpu.calls == 30)
        #expect(cpu.maxRunning == 2)
        #expect(gpu.maxRunning == 1)
        #expect(Set(threads.log).isSubset(of: ["prover-cpu-0", "prover-cpu-1", "prover-gpu-0"]))
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func priorityFirstThenFIFO() async throws {
        let probe = Probe()
        let release = CancellationToken()
        let order = Probe()
        let work = TestHandler(proofType: "work", body: { input, _ in
            order.enter(String(decoding: input.context, as: UTF8.self))
            order.leave()
            return ProofArtifact(proof: input.context)
        })
        let (service, _) = try makeService([blockingHandler("block", probe: probe, release: release), work])
        try await service.submit(request("block", "b"))
        try await eventually { probe.calls == 1 }
        for (name, priority) in [("low1", 0), ("low2", 0), ("high", 10), ("low3", 0), ("mid", 5)] {
            try await service.submit(request("work", name, priority: priority))
        }
        release.cancel()
        try await eventually { order.calls == 5 }
        #expect(order.log == ["high", "mid", "low1", "low2", "low3"])
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
