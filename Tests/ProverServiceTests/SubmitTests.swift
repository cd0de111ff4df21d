import Foundation
import ProverService
import Testing

@Suite struct SubmitTests {
    @Test func thousandConcurrentSubmitsOfOneContextMakeOneTask() async throws {
        let (service, _) = try makeService([TestHandler(proofType: "echo")], start: false)
        let ids = try await withThrowingTaskGroup(of: TaskID.self) { group in
            for _ in 0..<1_000 {
                group.addTask { try await service.submit(request("echo", "same")).id }
            }
            var ids: Set<TaskID> = []
            for try await id in group { ids.insert(id) }
            return ids
        }
        #expect(ids.count == 1)
        #expect(try service.summary().total == 1)
        #expect(try service.summary()[.queued] == 1)
    }

    @Test func executeReturnsTheProofAndResubmitReturnsTheSameTask() async throws {
        let probe = Probe()
        let (service, _) = try makeService([TestHandler(proofType: "echo", body: { input, _ in
            probe.enter()
            return ProofArtifact(proof: input.context.reversed(), publicOutputs: [42], metadata: ["k": "v"])
        })])
        let proof = try await service.execute(request("echo", "abc"))
        #expect(proof.artifact.proof == Array("cba".utf8))
        #expect(proof.artifact.metadata == ["k": "v"])
        let again = try await service.submit(request("echo", "abc"))
        #expect(again.id == proof.taskID)
        #expect(again.state == .completed)
        _ = try await service.execute(request("echo", "abc"))
        #expect(probe.calls == 1)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func badInputIsRejectedWithTypedErrors() async throws {
        let (service, _) = try makeService([TestHandler(proofType: "echo", supportedBackends: ["cpu"])], workers: ["cpu": 1, "gpu": 1])
        await #expect(throws: ProverServiceError.unknownProofType) { try await service.submit(request("nope", "x")) }
        await #expect(throws: ProverServiceError.invalidContext) { try await service.submit(request("echo", "")) }
        await #expect(throws: ProverServiceError.unsupportedBackend) { try await service.submit(request("echo", "x", backend: "gpu")) }
        await #expect(throws: ProverServiceError.unsupportedBackend) { try await service.submit(request("echo", "x", backend: "tpu")) }
        let unknown = TaskID(proofType: "echo", canonicalContext: [9], backend: "cpu")
        #expect(throws: ProverServiceError.unknownTask) { try service.status(unknown) }
        #expect(throws: ProverServiceError.unknownTask) { try service.cancel(unknown) }
        #expect(throws: ProverServiceError.invalidCursor) { try service.list(TaskQuery(cursor: "garbage")) }
        #expect(try service.summary().total == 0)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func failedTaskIsResetByResubmitWithRetry() async throws {
        let probe = Probe()
        let (service, _) = try makeService([TestHandler(proofType: "flaky", body: { input, _ in
            probe.enter()
            if probe.calls == 1 { throw HandlerError.permanent("bad first time") }
            return ProofArtifact(proof: input.context)
        })])
        await #expect(throws: ProverServiceError.taskFailed) { try await service.execute(request("flaky", "x")) }
        let failed = try await service.submit(request("flaky", "x"))
        #expect(failed.state == .failed)
        let proof = try await service.execute(request("flaky", "x"), retry: true)
        #expect(proof.artifact.proof == Array("x".utf8))
        #expect(try service.status(proof.taskID).attempt == 0)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func listFiltersAndPagesWithACursor() async throws {
        let (service, _) = try makeService([TestHandler(proofType: "a"), TestHandler(proofType: "b")], start: false)
        for i in 0..<25 { try await service.submit(request(i % 5 == 0 ? "b" : "a", "ctx\(i)")) }
        var seen: [TaskID] = []
        var cursor: String?
        repeat {
            let page = try service.list(TaskQuery(proofType: "a", limit: 7, cursor: cursor))
            #expect(page.tasks.allSatisfy { $0.proofType == "a" })
            seen += page.tasks.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen.count == 20)
        #expect(Set(seen).count == 20)
        #expect(try service.list(TaskQuery(states: [.completed])).tasks.isEmpty)
        #expect(try service.list(TaskQuery(states: [.queued], proofType: "b")).tasks.count == 5)
        #expect(try service.summary()[.queued] == 25)
    }

    @Test func eventsStreamEveryStateChange() async throws {
        let (service, _) = try makeService([TestHandler(proofType: "echo")], start: false)
        let stream = service.events()
        try service.start()
        let id = try await service.execute(request("echo", "e")).taskID
        var states: [TaskState] = []
        for await event in stream where event.id == id {
            states.append(event.to)
            if event.to == .completed { break }
        }
        #expect(states == [.pending, .queued, .proving, .completed])
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func eventsOfEachTaskArriveInTransitionOrderUnderConcurrency() async throws {
        let (service, _) = try makeService([TestHandler(proofType: "echo")], workers: ["cpu": 2], start: false)
        let stream = service.events()
        try service.start()
        let ids = try await withThrowingTaskGroup(of: [TaskID].self) { group in
            for lane in 0..<4 {
                group.addTask { try await service.submit((0..<50).map { request("echo", "\(lane)-\($0)") }).map(\.id) }
            }
            var all: [TaskID] = []
            for try await lane in group { all += lane }
            return all
        }
        var last: [TaskID: TaskState] = [:]
        var completed = 0
        for await event in stream {
            #expect(event.from == last[event.id], "\(event.id): \(String(describing: event.from)) after \(String(describing: last[event.id]))")
            last[event.id] = event.to
            if event.to == .completed {
                completed += 1
                if completed == ids.count { break }
            }
        }
        #expect(Set(last.keys) == Set(ids))
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func executeDoesNotBlockOtherCallers() async throws {
        let probe = Probe()
        let release = CancellationToken()
        let (service, _) = try makeService([blockingHandler("slow", probe: probe, release: release), TestHandler(proofType: "echo")])
        let waiter = Task { try await service.execute(request("slow", "s")) }
        try await eventually { probe.calls == 1 }
        // While execute waits, other calls proceed.
        #expect(try service.summary()[.proving] == 1)
        let queued = try await service.submit(request("echo", "other"))
        #expect(queued.state == .queued)
        release.cancel()
        let proof = try await waiter.value
        #expect(proof.artifact.proof == Array("s".utf8))
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
