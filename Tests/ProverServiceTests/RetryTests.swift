import Foundation
import ProverService
import Synchronization
import Testing

/// Returns the given values in turn, forever.
func sequence(_ values: [Double]) -> @Sendable () -> Double {
    let index = Mutex(0)
    return {
        index.withLock { i in
            defer { i += 1 }
            return values[i % values.count]
        }
    }
}

@Suite struct RetryTests {
    @Test func policyDelaysGrowStayWithinJitterAndCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), multiplier: 2, maxDelay: .seconds(30), jitter: 0.25)
        var previousLow = 0.0
        for attempt in 1...9 {
            let bounds = policy.delayBounds(afterFailures: attempt)
            let nominal = pow(2, Double(attempt - 1))
            #expect(abs(bounds.lowerBound - min(30, nominal * 0.75)) < 1e-9)
            #expect(abs(bounds.upperBound - min(30, nominal * 1.25)) < 1e-9)
            #expect(bounds.lowerBound >= previousLow)
            previousLow = bounds.lowerBound
            for r in stride(from: 0.0, to: 1.0, by: 0.05) {
                let delay = policy.delaySeconds(afterFailures: attempt, random: r)
                #expect(bounds.contains(delay))
                #expect(delay <= 30)
            }
        }
        #expect(policy.delaySeconds(afterFailures: 1_000, random: 0.5) == 30)
        #expect(policy.allowsRetry(afterFailures: 9))
        #expect(!policy.allowsRetry(afterFailures: 10))
        let defaults = RetryPolicy.default
        #expect(defaults.maxAttempts == 5 && defaults.baseDelay == .seconds(1) && defaults.maxDelay == .seconds(300) && defaults.jitter == 0.2)
    }

    @Test func transientFailuresBackOffOnTheInjectedClockUntilAttemptsRunOut() async throws {
        let clock = ManualClock()
        let probe = Probe()
        let handler = TestHandler(proofType: "down", body: { _, _ in
            probe.enter()
            probe.leave()
            throw HandlerError.transient("upstream unavailable")
        })
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(10), multiplier: 2, maxDelay: .seconds(25), jitter: 0.2)
        let (service, _) = try makeService([handler], retry: policy, clock: clock, random: sequence([0.0, 0.999, 0.5]))
        let id = try await service.submit(request("down", "x")).id
        var delays: [Double] = []
        for attempt in 1...3 {
            try await eventually { let r = try service.status(id); return r.state == .retrying && r.attempt == attempt }
            let record = try service.status(id)
            #expect(record.lastError?.isTransient == true)
            let delay = record.nextRunAt!.timeIntervalSince(record.updatedAt)
            #expect(policy.delayBounds(afterFailures: attempt).contains(delay), "attempt \(attempt): \(delay)")
            delays.append(delay)
            #expect(probe.calls == attempt)
            clock.advance(by: delay - 0.5)
            try await Task.sleep(for: .milliseconds(20))
            #expect(try service.status(id).state == .retrying, "must not run before its time")
            clock.advance(by: 0.5)
        }
        let final = try await waitFor(service, id, .failed)
        #expect(final.attempt == 4)
        #expect(final.lastError?.message.contains("upstream unavailable") == true)
        #expect(probe.calls == 4)
        #expect(abs(delays[0] - 8) < 1e-6)                   // 10 s − 20 %
        #expect(delays[1] > delays[0] && delays[1] < 24.0001) // 20 s + ~20 %
        #expect(abs(delays[2] - 25) < 1e-6)                  // 40 s nominal, capped
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func aStaleRetryTimerCannotQueueATaskBeforeItsNextRunTime() async throws {
        // A timer left from an earlier cycle (cancel, then resubmit) fires early: refused.
        let clock = ManualClock()
        let handler = TestHandler(proofType: "down", body: { _, _ in throw HandlerError.transient("later") })
        let policy = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(10), multiplier: 2, maxDelay: .seconds(60), jitter: 0)
        let (service, store) = try makeService([handler], retry: policy, clock: clock)
        let id = try await service.submit(request("down", "stale")).id
        try await eventually { try service.status(id).state == .retrying }
        let due = try #require(try service.status(id).nextRunAt)
        #expect(throws: ProverServiceError.stateConflict) { try store.requeueRetry(id, now: due.addingTimeInterval(-2)) }
        #expect(try service.status(id).state == .retrying)
        _ = try store.requeueRetry(id, now: due)
        #expect(try service.status(id).state != .retrying)
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func permanentErrorsAreNotRetried() async throws {
        struct Unclassified: Error {}
        let probe = Probe()
        let permanent = TestHandler(proofType: "perm", body: { _, _ in probe.enter(); probe.leave(); throw HandlerError.permanent("bad statement") })
        let plain = TestHandler(proofType: "plain", body: { _, _ in probe.enter(); probe.leave(); throw Unclassified() })
        let (service, _) = try makeService([permanent, plain], retry: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(1)))
        await #expect(throws: ProverServiceError.taskFailed) { try await service.execute(request("perm", "x")) }
        await #expect(throws: ProverServiceError.taskFailed) { try await service.execute(request("plain", "x")) }
        #expect(probe.calls == 2)
        for record in try service.list().tasks {
            #expect(record.attempt == 0)
            #expect(record.lastError?.isTransient == false)
        }
        await service.shutdown(gracePeriod: .seconds(1))
    }

    @Test func transientFailuresThenSuccessCountAttempts() async throws {
        let probe = Probe()
        let handler = TestHandler(proofType: "flaky", body: { input, _ in
            probe.enter()
            probe.leave()
            if probe.calls < 3 { throw HandlerError.transient("try again") }
            return ProofArtifact(proof: input.context)
        })
        let (service, _) = try makeService([handler], retry: RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(2)))
        let proof = try await service.execute(request("flaky", "x"))
        #expect(try service.status(proof.taskID).attempt == 2)
        #expect(probe.calls == 3)
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
