import Foundation
import ProverService
import Testing

/// A three-level chain: c(n) depends on b(n), which depends on a(n).
func chainHandlers(probe: Probe, failA: Bool = false) -> [any ProofHandler] {
    [
        TestHandler(proofType: "a", body: { input, _ in
            probe.enter("a")
            probe.leave()
            if failA { throw HandlerError.permanent("a is broken") }
            return ProofArtifact(proof: [1], publicOutputs: Array("A".utf8))
        }),
        TestHandler(proofType: "b", deps: { ctx in [ProofRequest(proofType: "a", context: ctx)] }, body: { input, _ in
            probe.enter("b")
            probe.leave()
            let fromA = input.dependencies.map(\.artifact.publicOutputs)
            return ProofArtifact(proof: [2], publicOutputs: fromA.flatMap { $0 } + Array("B".utf8))
        }),
        TestHandler(proofType: "c", deps: { ctx in [ProofRequest(proofType: "b", context: ctx)] }, body: { input, _ in
            probe.enter("c")
            probe.leave()
            let fromB = input.dependencies.map(\.artifact.publicOutputs)
            return ProofArtifact(proof: [3], publicOutputs: fromB.flatMap { $0 } + Array("C".utf8))
        }),
    ]
}

@Suite struct DependencyTests {
    @Test func dependenciesRunFirstAndPassTheirOutputs() async throws {
        let probe = Probe()
        let (service, _) = try makeService(chainHandlers(probe: probe), workers: ["cpu": 2])
        let proof = try await service.execute(request("c", "1"))
        #expect(probe.log == ["a", "b", "c"])
        #expect(proof.artifact.publicOutputs == Array("ABC".utf8))
        #expect(try service.summary()[.completed] == 3)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func dependentsWaitAndAreQueuedWhenTheLastDependencyCompletes() async throws {
        let (service, _) = try makeService(chainHandlers(probe: Probe()), start: false)
        let c = try await service.submit(request("c", "2"))
        #expect(c.state == .waiting)
        let all = try service.list().tasks
        #expect(Dictionary(uniqueKeysWithValues: all.map { ($0.proofType, $0.state) }) == ["a": .queued, "b": .waiting, "c": .waiting])
        try service.start()
        try await waitFor(service, c.id, .completed)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func permanentFailureCascadesToDependents() async throws {
        let probe = Probe()
        let (service, _) = try makeService(chainHandlers(probe: probe, failA: true))
        await #expect(throws: ProverServiceError.taskFailed) { try await service.execute(request("c", "3")) }
        let tasks = Dictionary(uniqueKeysWithValues: try service.list().tasks.map { ($0.proofType, $0) })
        #expect(tasks["a"]?.state == .failed)
        #expect(tasks["b"]?.lastError?.code == "dependency_failed")
        #expect(tasks["c"]?.lastError?.code == "dependency_failed")
        #expect(tasks["c"]?.lastError?.message.contains("a is broken") == true)
        #expect(probe.log == ["a"])
        // A new dependent of a failed task fails at once, with the cause.
        let late = try await service.submit(request("b", "3"))
        #expect(late.state == .failed)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func cyclesAreRejectedAtSubmit() async throws {
        let loop = TestHandler(proofType: "loop", deps: { ctx in [ProofRequest(proofType: "loop2", context: ctx)] })
        let loop2 = TestHandler(proofType: "loop2", deps: { ctx in [ProofRequest(proofType: "loop", context: ctx)] })
        let selfish = TestHandler(proofType: "self", deps: { ctx in [ProofRequest(proofType: "self", context: ctx)] })
        let (service, _) = try makeService([loop, loop2, selfish], start: false)
        await #expect(throws: ProverServiceError.dependencyCycle) { try await service.submit(request("loop", "x")) }
        await #expect(throws: ProverServiceError.dependencyCycle) { try await service.submit(request("self", "x")) }
        #expect(try service.summary().total == 0)
    }

    @Test func diamondSharesOneDependency() async throws {
        let probe = Probe()
        let base = TestHandler(proofType: "base", body: { _, _ in probe.enter("base"); probe.leave(); return ProofArtifact(proof: [0]) })
        let left = TestHandler(proofType: "left", deps: { c in [ProofRequest(proofType: "base", context: c)] })
        let right = TestHandler(proofType: "right", deps: { c in [ProofRequest(proofType: "base", context: c)] })
        let top = TestHandler(proofType: "top", deps: { c in [ProofRequest(proofType: "left", context: c), ProofRequest(proofType: "right", context: c)] },
                              body: { input, _ in ProofArtifact(proof: [UInt8(input.dependencies.count)]) })
        let (service, _) = try makeService([base, left, right, top], workers: ["cpu": 2])
        let proof = try await service.execute(request("top", "d"))
        #expect(proof.artifact.proof == [2])
        #expect(probe.log == ["base"])
        #expect(try service.summary().total == 4)
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
