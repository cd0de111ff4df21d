import Foundation
import ProverService
import Synchronization
import Testing

/// The result of a call made on a thread of its own.
final class ThreadCall<T: Sendable>: Sendable {
    private let result = Mutex<Result<T, any Error>?>(nil)

    /// Starts `body` on a new thread (it may block, e.g. waiting for a held commit).
    init(_ body: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            let value = Result(catching: body)
            result.withLock { $0 = value }
        }
        thread.start()
    }

    var isDone: Bool { result.withLock { $0 != nil } }
    func value() throws -> T { try result.withLock { $0! }.get() }
}

@Suite struct FinishRaceTests {
    @Test func aCancelAcceptedAfterTheTimeoutFiredEndsCancelledNotRetrying() async throws {
        let seen = Probe()
        let release = CancellationToken()
        let handler = TestHandler(proofType: "slow", body: { _, token in
            while !token.isCancelled { token.sleep(seconds: 1) }
            seen.enter(token.reason == .timeout ? "timeout" : "other")
            seen.leave()
            while !release.isCancelled { release.sleep(seconds: 1) }
            throw CancellationError()
        })
        let (service, _) = try makeService([handler], retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))
        let id = try await service.submit(request("slow", "x", timeout: .milliseconds(20))).id
        try await eventually { seen.calls == 1 }
        #expect(seen.log == ["timeout"])
        #expect(try service.cancel(id).state == .proving, "accepted while the handler still runs")
        release.cancel()
        let record = try await waitFor(service, id, .cancelled)
        #expect(record.attempt == 0)
        try await Task.sleep(for: .milliseconds(50))
        #expect(seen.calls == 1, "a cancelled task is not retried")
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func aCancelArrivingWhileTheCompletionCommitsReportsTheFinalState() async throws {
        let (service, store) = try makeInstrumentedService([TestHandler(proofType: "echo")])
        store.holdCompletions()
        let id = try await service.submit(request("echo", "x")).id
        try await eventually { store.completionHeld.isCancelled }  // proved; the completion is committing
        let cancel = ThreadCall { try service.cancel(id) }
        try await Task.sleep(for: .milliseconds(100))               // the cancel arrives during the commit
        store.releaseCompletions.cancel()
        try await eventually { cancel.isDone }
        let final = try await service.wait(for: id)
        let answer = try cancel.value()
        #expect(final.state == .completed)
        #expect(answer.state == final.state, "a cancel is either accepted (and the task ends cancelled) or sees the final state")
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func aProofFinishedAsTheTimeoutFiresIsKeptAndTheTaskMovesOnce() async throws {
        let probe = Probe()
        let edge = TestHandler(proofType: "edge", body: { input, token in
            probe.enter()
            probe.leave()
            while !token.isCancelled { token.sleep(seconds: 1) }  // done exactly as the timeout fires
            return ProofArtifact(proof: input.context)
        })
        let (service, _) = try makeService([edge], retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)), start: false)
        let stream = service.events()
        try service.start()
        let proof = try await service.execute(request("edge", "x", timeout: .milliseconds(20)))
        #expect(proof.artifact.proof == Array("x".utf8))
        var states: [TaskState] = []
        for await event in stream where event.id == proof.taskID {
            states.append(event.to)
            if event.to.isFinal { break }
        }
        #expect(states == [.pending, .queued, .proving, .completed])
        #expect(try service.status(proof.taskID).attempt == 0)
        #expect(probe.calls == 1)
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
