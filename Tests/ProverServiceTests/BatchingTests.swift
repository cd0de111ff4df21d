import Foundation
import ProverService
import Synchronization
import Testing

/// Short tasks are claimed and committed several at a time (`ServiceConfiguration.batching`).
/// Tasks t0…t5 are submitted before the service starts: the worker claims t0 alone, and with
/// t0's commit (t0 is short) claims t1…t5, which then wait their turn on the worker.
@Suite struct BatchingTests {
    /// Echoes; the task named `blocking` blocks until `gate` is cancelled (after cancelling `entered`).
    private func gated(probe: Probe, entered: CancellationToken, gate: CancellationToken, blocking: String = "t1") -> TestHandler {
        TestHandler(proofType: "echo", body: { input, _ in
            let label = String(decoding: input.context, as: UTF8.self)
            probe.enter(label)
            defer { probe.leave() }
            if label == blocking {
                entered.cancel()
                while !gate.isCancelled { _ = gate.sleep(seconds: 1) }
            }
            return ProofArtifact(proof: input.context, publicOutputs: input.context)
        })
    }

    private let names = (0..<6).map { "t\($0)" }

    /// A service whose one worker runs t0…t5, returned once the task `blocking` has entered
    /// its handler (and blocks until `gate` is cancelled).
    private struct Blocked {
        let service: ProverService
        let store: InstrumentedStore
        let probe: Probe
        let gate: CancellationToken
        let ids: [TaskID]
    }

    private func blocked(at blocking: String = "t1", batching: TaskBatching = TaskBatching()) async throws -> Blocked {
        let probe = Probe(), entered = CancellationToken(), gate = CancellationToken()
        let (service, store) = try makeInstrumentedService([gated(probe: probe, entered: entered, gate: gate, blocking: blocking)],
                                                           start: false, batching: batching)
        let ids = try await service.submit(names.map { request("echo", $0) }).map(\.id)
        try service.start()
        try await eventually { entered.isCancelled }
        return Blocked(service: service, store: store, probe: probe, gate: gate, ids: ids)
    }

    @Test func shortTasksAreCommittedSeveralPerTransaction() async throws {
        let probe = Probe()
        let (service, store) = try makeInstrumentedService([gated(probe: probe, entered: CancellationToken(), gate: cancelled())], start: false)
        let ids = try await service.submit((0..<40).map { request("echo", "task-\($0)") }).map(\.id)
        try service.start()
        for id in ids { try await waitFor(service, id, .completed) }
        #expect(probe.calls == 40)
        #expect(store.completionBatchSizes.reduce(0, +) == 40)
        #expect(store.completionBatchSizes.count < 40 && store.completionBatchSizes.max()! > 1, "sizes: \(store.completionBatchSizes)")
        for id in ids { #expect(try service.proof(id) != nil) }
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func withoutBatchingEachTaskIsCommittedAlone() async throws {
        let probe = Probe()
        let (service, store) = try makeInstrumentedService([gated(probe: probe, entered: CancellationToken(), gate: cancelled())],
                                                           start: false, batching: nil)
        let ids = try await service.submit((0..<20).map { request("echo", "task-\($0)") }).map(\.id)
        try service.start()
        for id in ids { try await waitFor(service, id, .completed) }
        #expect(store.completionBatchSizes == Array(repeating: 1, count: 20))
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func aBatchCommitsAtMostMaxTasksProofs() async throws {
        let probe = Probe()
        let (service, store) = try makeInstrumentedService([gated(probe: probe, entered: CancellationToken(), gate: cancelled())],
                                                           start: false, batching: TaskBatching(maxTasks: 2))
        let ids = try await service.submit((0..<12).map { request("echo", "task-\($0)") }).map(\.id)
        try service.start()
        for id in ids { try await waitFor(service, id, .completed) }
        #expect(store.completionBatchSizes.reduce(0, +) == 12)
        #expect(store.completionBatchSizes.allSatisfy { $0 <= 2 } && store.completionBatchSizes.contains(2), "sizes: \(store.completionBatchSizes)")
        await service.shutdown(gracePeriod: .seconds(5))
    }

    /// t3's claim is lost (requeued behind the worker's back) while t1 blocks: the batch of
    /// t1…t5 is refused whole, the others are committed one by one, and t3 runs again.
    @Test func aRefusedBatchIsCommittedTaskByTask() async throws {
        let b = try await blocked(batching: TaskBatching(shortTask: .seconds(600)))
        let (service, store, probe, gate, ids) = (b.service, b.store, b.probe, b.gate, b.ids)
        let lost = try #require(try store.task(ids[3]))
        _ = try store.base.requeue(lost.id, owner: try #require(lost.owner), now: Date())
        gate.cancel()
        for id in ids { try await waitFor(service, id, .completed) }
        #expect(probe.log.filter { $0 == "t3" }.count == 2, "t3 ran again after its claim was lost")
        let sizes = store.completionBatchSizes
        let refused = try #require(sizes.firstIndex(of: 5), "sizes: \(sizes)")
        #expect(Array(sizes[(refused + 1)...].prefix(4)) == [1, 1, 1, 1], "sizes: \(sizes)")
        await service.shutdown(gracePeriod: .seconds(5))
    }

    /// A cancel of a claimed task that has not started is accepted; the task ends `cancelled`
    /// without its handler running, whether the worker reaches it (t1 counts as short) or its
    /// watchdog hands it back while t1 runs long (then the cancel may find it queued again).
    @Test(arguments: [Duration.seconds(600), .milliseconds(1)])
    func aClaimedTaskCancelledBeforeItStartsEndsCancelledWithoutRunning(shortTask: Duration) async throws {
        let b = try await blocked(batching: TaskBatching(shortTask: shortTask))
        let (service, probe, gate, ids) = (b.service, b.probe, b.gate, b.ids)
        #expect(try [.proving, .cancelled].contains(service.cancel(ids[3]).state))
        gate.cancel()
        try await waitFor(service, ids[3], .cancelled)
        for (index, id) in ids.enumerated() where index != 3 { try await waitFor(service, id, .completed) }
        #expect(!probe.log.contains("t3"))
        #expect(probe.calls == 5)
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func aLongTaskHandsTheUnstartedClaimsBackAtTheirPlace() async throws {
        let b = try await blocked()
        let (service, store, probe, gate, ids) = (b.service, b.store, b.probe, b.gate, b.ids)
        try await Task.sleep(for: .milliseconds(20))  // t1 runs past TaskBatching.shortTask
        gate.cancel()
        for id in ids { try await waitFor(service, id, .completed) }
        #expect(store.released == Array(ids[2...]))
        #expect(probe.log == names, "each task ran once, in queue order")
        #expect(try ids.allSatisfy { try service.status($0).attempt == service.status(ids[0]).attempt })
        await service.shutdown(gracePeriod: .seconds(5))
    }

    /// t1's proof waits in the batch and t3…t5 wait their turn when t2 turns out long: the
    /// worker's watchdog commits the one and hands the others back while t2 still runs.
    @Test func aLongTaskDoesNotHoldBackTheBatchOrTheClaimsBehindIt() async throws {
        let b = try await blocked(at: "t2")
        let (service, store, probe, gate, ids) = (b.service, b.store, b.probe, b.gate, b.ids)
        try await waitFor(service, ids[1], .completed, seconds: 10)
        try await eventually(10) { store.released == Array(ids[3...]) }
        #expect(try ids[3...].allSatisfy { try service.status($0).state == .queued })
        #expect(try service.status(ids[2]).state == .proving)
        gate.cancel()
        for id in ids { try await waitFor(service, id, .completed) }
        #expect(probe.log == names)
        await service.shutdown(gracePeriod: .seconds(5))
    }

    @Test func shutdownHandsTheUnstartedClaimsBack() async throws {
        let b = try await blocked(batching: TaskBatching(shortTask: .seconds(600)))
        let (service, store, probe, gate, ids) = (b.service, b.store, b.probe, b.gate, b.ids)
        async let stopped: Void = service.shutdown(gracePeriod: .seconds(30))
        try await Task.sleep(for: .milliseconds(200))
        gate.cancel()
        await stopped
        #expect(try store.task(ids[1])?.state == .completed, "t1 finished within the grace period")
        for id in ids[2...] {
            let record = try #require(try store.task(id))
            #expect(record.state == .queued && record.owner == nil && record.attempt == 0)
        }
        #expect(store.released == Array(ids[2...]))
        #expect(probe.calls == 2)
    }

    private func cancelled() -> CancellationToken {
        let token = CancellationToken()
        token.cancel()
        return token
    }
}
