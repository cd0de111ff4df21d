import Foundation
import Synchronization

/// Publishes state changes to event streams and resumes callers waiting for a task to finish.
final class EventHub: Sendable {
    private struct State {
        var streams: [Int: (filter: Set<TaskState>?, continuation: AsyncStream<TaskEvent>.Continuation)] = [:]
        var waiters: [TaskID: [Int: CheckedContinuation<TaskRecord, any Error>]] = [:]
        var nextKey = 0
        /// Set by ``close(failingWaitersWith:)``: new streams end at once, new waits fail.
        var closedWith: (any Error)?
    }

    private let state = Mutex(State())

    /// A new stream of the events published from now on (only those entering `states`, if given).
    func stream(states: Set<TaskState>?, bufferLimit: Int) -> AsyncStream<TaskEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: TaskEvent.self, bufferingPolicy: .bufferingNewest(bufferLimit))
        let key = state.withLock { s -> Int? in
            guard s.closedWith == nil else { return nil }
            s.nextKey += 1
            s.streams[s.nextKey] = (states, continuation)
            return s.nextKey
        }
        guard let key else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.streams.removeValue(forKey: key) }
        }
        return stream
    }

    /// Publishes events in order and resumes waiters of tasks that reached a final state.
    func publish(_ events: Transitions) {
        guard !events.isEmpty else { return }
        var resumed: [(CheckedContinuation<TaskRecord, any Error>, TaskRecord)] = []
        let streams = state.withLock { s in
            for event in events where event.to.isFinal {
                if let waiting = s.waiters.removeValue(forKey: event.id) {
                    resumed += waiting.values.map { ($0, event.record) }
                }
            }
            return Array(s.streams.values)
        }
        for (filter, continuation) in streams {
            for event in events where filter?.contains(event.to) ?? true { continuation.yield(event) }
        }
        for (continuation, record) in resumed { continuation.resume(returning: record) }
    }

    /// Waits until task `id` is final. `current` reads the stored record (asynchronously, passing
    /// it to its callback) after the waiter is registered, so a task that finished before the
    /// call is not missed.
    func waitForFinal(
        _ id: TaskID, current: @Sendable (_ done: @escaping @Sendable (Result<TaskRecord, any Error>) -> Void) -> Void
    ) async throws -> TaskRecord {
        let key = state.withLock { s in
            s.nextKey += 1
            return s.nextKey
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TaskRecord, any Error>) in
                let closed = state.withLock { s -> (any Error)? in
                    if let error = s.closedWith { return error }
                    s.waiters[id, default: [:]][key] = continuation
                    return nil
                }
                if let closed {
                    continuation.resume(throwing: closed)
                    return
                }
                current { result in
                    switch result {
                    case .success(let record): if record.state.isFinal { self.resume(id, key, with: .success(record)) }
                    case .failure(let error): self.resume(id, key, with: .failure(error))
                    }
                }
                if Task.isCancelled { resume(id, key, with: .failure(CancellationError())) }
            }
        } onCancel: {
            resume(id, key, with: .failure(CancellationError()))
        }
    }

    private func resume(_ id: TaskID, _ key: Int, with result: Result<TaskRecord, any Error>) {
        let continuation = state.withLock { s -> CheckedContinuation<TaskRecord, any Error>? in
            let c = s.waiters[id]?.removeValue(forKey: key)
            if s.waiters[id]?.isEmpty == true { s.waiters[id] = nil }
            return c
        }
        continuation?.resume(with: result)
    }

    /// The tasks someone is waiting for.
    var waitedIDs: [TaskID] { state.withLock { Array($0.waiters.keys) } }

    /// Resumes the waiters of tasks that reached a final state elsewhere (another node), without
    /// publishing events: streams only carry this process's own transitions.
    func resolve(finished records: [TaskRecord]) {
        var resumed: [(CheckedContinuation<TaskRecord, any Error>, TaskRecord)] = []
        state.withLock { s in
            for record in records where record.state.isFinal {
                if let waiting = s.waiters.removeValue(forKey: record.id) {
                    resumed += waiting.values.map { ($0, record) }
                }
            }
        }
        for (continuation, record) in resumed { continuation.resume(returning: record) }
    }

    /// Ends every stream and resumes every waiter with `error`; later streams end at once and
    /// later waits throw `error`.
    func close(failingWaitersWith error: any Error) {
        let (streams, waiters) = state.withLock { s in
            s.closedWith = error
            defer {
                s.streams.removeAll()
                s.waiters.removeAll()
            }
            return (Array(s.streams.values), s.waiters.values.flatMap(\.values))
        }
        for (_, continuation) in streams { continuation.finish() }
        for waiter in waiters { waiter.resume(throwing: error) }
    }
}
