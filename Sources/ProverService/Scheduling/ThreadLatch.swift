import Synchronization

/// Counts the running threads of one kind (pool workers, the timer thread, the store thread)
/// and lets async code wait, with a time limit and without blocking a thread, until none is
/// left: how ``ProverService/shutdown(gracePeriod:cancellationGrace:)`` joins its threads.
final class ThreadLatch: Sendable {
    private struct State {
        var running = 0
        var waiters: [Int: LatchWaiter] = [:]
        var nextKey = 0
    }

    private let state = Mutex(State())

    /// A thread is about to start (call before starting it, so a wait cannot miss it).
    func enter() { state.withLock { $0.running += 1 } }

    /// A thread is ending (its last action).
    func leave() {
        let waiters = state.withLock { s -> [LatchWaiter] in
            s.running -= 1
            guard s.running == 0 else { return [] }
            defer { s.waiters.removeAll() }
            return Array(s.waiters.values)
        }
        for waiter in waiters { waiter.resume(true) }
    }

    /// Threads started and not yet ended.
    var running: Int { state.withLock { $0.running } }

    /// Waits until no thread is running, at most `timeout`. Returns whether none is.
    func wait(timeout: Duration) async -> Bool {
        let waiter = LatchWaiter()
        let key = state.withLock { s -> Int? in
            guard s.running > 0 else { return nil }
            s.nextKey += 1
            s.waiters[s.nextKey] = waiter
            return s.nextKey
        }
        guard let key else { return true }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            waiter.resume(false)
        }
        let joined = await waiter.value
        timer.cancel()
        state.withLock { _ = $0.waiters.removeValue(forKey: key) }
        return joined
    }
}

/// One answer, given once from any thread (later answers are ignored), to one async reader.
private final class LatchWaiter: Sendable {
    private struct State {
        var answer: Bool?
        var reader: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    func resume(_ answer: Bool) {
        let reader = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            guard s.answer == nil else { return nil }
            s.answer = answer
            defer { s.reader = nil }
            return s.reader
        }
        reader?.resume(returning: answer)
    }

    var value: Bool {
        get async {
            await withCheckedContinuation { continuation in
                let answer = state.withLock { s -> Bool? in
                    if let answer = s.answer { return answer }
                    s.reader = continuation
                    return nil
                }
                if let answer { continuation.resume(returning: answer) }
            }
        }
    }
}
