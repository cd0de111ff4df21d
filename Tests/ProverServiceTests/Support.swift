import Foundation
import ProverService
import Synchronization
import Testing

/// A handler built from closures, for tests.
struct TestHandler: ProofHandler {
    let proofType: String
    var supportedBackends: Set<String>? = nil
    var canonical: @Sendable ([UInt8]) throws -> [UInt8] = { context in
        guard !context.isEmpty else { throw HandlerError.permanent("empty context") }
        return context
    }
    var deps: @Sendable ([UInt8]) throws -> [ProofRequest] = { _ in [] }
    var body: @Sendable (ProofInput, CancellationToken) throws -> ProofArtifact = { input, _ in
        ProofArtifact(proof: input.context.reversed(), publicOutputs: input.context)
    }

    func canonicalize(_ context: [UInt8]) throws -> [UInt8] { try canonical(context) }
    func dependencies(of context: [UInt8]) throws -> [ProofRequest] { try deps(context) }
    func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact { try body(input, cancellation) }
}

/// A thread-safe counter and log for instrumented handlers.
final class Probe: Sendable {
    private let state = Mutex<(calls: Int, running: Int, maxRunning: Int, log: [String])>((0, 0, 0, []))

    func enter(_ label: String = "") {
        state.withLock { s in
            s.calls += 1
            s.running += 1
            s.maxRunning = max(s.maxRunning, s.running)
            if !label.isEmpty { s.log.append(label) }
        }
    }

    func leave() { state.withLock { $0.running -= 1 } }
    var calls: Int { state.withLock { $0.calls } }
    var maxRunning: Int { state.withLock { $0.maxRunning } }
    var log: [String] { state.withLock { $0.log } }
}

/// A fresh temporary directory.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("prover-service-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A service over a fresh SQLite file.
func makeService(
    _ handlers: [any ProofHandler], workers: [String: Int] = ["cpu": 1], retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5)),
    timeout: Duration? = nil, clock: any ServiceClock = SystemClock(), random: @escaping @Sendable () -> Double = { 0.5 },
    path: String? = nil, start: Bool = true, log: LogCapture? = nil, commitBehindAfter: Duration? = .milliseconds(2),
    batching: TaskBatching? = TaskBatching()
) throws -> (ProverService, SQLiteStore) {
    let file = try path ?? temporaryDirectory().appendingPathComponent("tasks.sqlite").path
    let store = try SQLiteStore(path: file)
    let service = ProverService(configuration: configuration(workers, retry, timeout, random, log, commitBehindAfter, batching), handlers: handlers,
                                taskStore: store, proofStore: store, clock: clock)
    if start { try service.start() }
    return (service, store)
}

/// A service over an ``InstrumentedStore`` on a fresh SQLite file.
func makeInstrumentedService(
    _ handlers: [any ProofHandler], workers: [String: Int] = ["cpu": 1], retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5)),
    timeout: Duration? = nil, log: LogCapture? = nil, start: Bool = true, commitBehindAfter: Duration? = .milliseconds(2),
    batching: TaskBatching? = TaskBatching()
) throws -> (ProverService, InstrumentedStore) {
    let store = try InstrumentedStore(SQLiteStore(path: temporaryDirectory().appendingPathComponent("tasks.sqlite").path))
    let configuration = configuration(workers, retry, timeout, { 0.5 }, log, commitBehindAfter, batching)
    let service = ProverService(configuration: configuration, handlers: handlers, taskStore: store, proofStore: store)
    if start { try service.start() }
    return (service, store)
}

private func configuration(_ workers: [String: Int], _ retry: RetryPolicy, _ timeout: Duration?,
                           _ random: @escaping @Sendable () -> Double, _ log: LogCapture?,
                           _ commitBehindAfter: Duration?, _ batching: TaskBatching?) -> ServiceConfiguration {
    var sink: @Sendable (String) -> Void = ServiceConfiguration.standardErrorLog
    if let log { sink = { line in log.append(line) } }
    var configuration = ServiceConfiguration(workers: workers, retry: retry, defaultTimeout: timeout, ownerID: "test", random: random, log: sink)
    configuration.commitBehindAfter = commitBehindAfter
    configuration.batching = batching
    return configuration
}

/// Collects the service's diagnostics.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

/// A ``SQLiteStore`` wrapper for fault injection: claims can be made to throw, the completion
/// of a proved task can be held, and the names of the threads that call the store are recorded.
final class InstrumentedStore: CombinedStore {
    private struct State {
        var claimFailuresLeft = 0
        var requeueRetryFailuresLeft = 0
        var claimAttempts = 0
        var holdCompletions = false
        var threadNames: [String] = []
        var completionBatchSizes: [Int] = []
        var released: [TaskID] = []
    }

    let base: SQLiteStore
    private let state = Mutex(State())
    /// Cancelled when a completion is being held.
    let completionHeld = CancellationToken()
    /// Cancel to let held completions go on.
    let releaseCompletions = CancellationToken()

    init(_ base: SQLiteStore) { self.base = base }

    /// The next `count` claims throw a storage error.
    func failClaims(_ count: Int) { state.withLock { $0.claimFailuresLeft = count } }
    var claimAttempts: Int { state.withLock { $0.claimAttempts } }
    /// The next `count` requeues by a retry timer throw a storage error.
    func failRequeueRetries(_ count: Int) { state.withLock { $0.requeueRetryFailuresLeft = count } }
    /// Holds every completion of a proved task until ``releaseCompletions`` is cancelled.
    func holdCompletions() { state.withLock { $0.holdCompletions = true } }
    /// The number of tasks of each combined completion, in call order.
    var completionBatchSizes: [Int] { state.withLock { $0.completionBatchSizes } }
    /// The tasks handed back through ``release(_:owner:now:)``.
    var released: [TaskID] { state.withLock { $0.released } }
    /// Names of the service threads that called the store ("not a service thread" for others).
    var threadNames: [String] { state.withLock { $0.threadNames } }
    func clearThreadNames() { state.withLock { $0.threadNames.removeAll() } }

    private func record() { state.withLock { $0.threadNames.append(ServiceThreads.currentName ?? "not a service thread") } }

    func withTransaction<R: Sendable>(_ body: (any TaskStoreTransaction) throws -> R) throws -> R {
        record()
        return try base.withTransaction(body)
    }

    func setEventSink(_ sink: (@Sendable (Transitions) -> Void)?) { base.setEventSink(sink) }

    func claimNext(backend: String, owner: String, now: Date, limit: Int) throws -> Transitions {
        let fail = state.withLock { s in
            s.claimAttempts += 1
            guard s.claimFailuresLeft > 0 else { return false }
            s.claimFailuresLeft -= 1
            return true
        }
        if fail { throw ProverServiceError.storage.with("injected claim failure") }
        record()
        return try base.claimNext(backend: backend, owner: owner, now: now, limit: limit)
    }

    func release(_ claimed: [TaskRecord], owner: String, now: Date) throws -> Transitions {
        record()
        state.withLock { $0.released += claimed.map(\.id) }
        return try base.release(claimed, owner: owner, now: now)
    }

    func requeueRetry(_ id: TaskID, now: Date) throws -> Transitions {
        let fail = state.withLock { s in
            guard s.requeueRetryFailuresLeft > 0 else { return false }
            s.requeueRetryFailuresLeft -= 1
            return true
        }
        if fail { throw ProverServiceError.storage.with("injected requeue failure") }
        record()
        return try base.requeueRetry(id, now: now)
    }

    func complete(_ finished: [(task: TaskRecord, proof: StoredProof)], owner: String, now: Date, thenClaim backend: String?, limit: Int) throws
        -> (transitions: Transitions, claimed: [TaskRecord])
    {
        record()
        state.withLock { $0.completionBatchSizes.append(finished.count) }
        if state.withLock({ $0.holdCompletions }) {
            completionHeld.cancel()
            while !releaseCompletions.isCancelled { releaseCompletions.sleep(seconds: 1) }
        }
        return try base.complete(finished, owner: owner, now: now, thenClaim: backend, limit: limit)
    }

    func putProof(_ proof: StoredProof) throws {
        record()
        try base.putProof(proof)
    }

    func proof(for id: TaskID) throws -> StoredProof? {
        record()
        return try base.proof(for: id)
    }
}

/// Waits until a task reaches `state` (or fails the test after `seconds`).
@discardableResult
func waitFor(_ service: ProverService, _ id: TaskID, _ state: TaskState, seconds: Double = 30,
             sourceLocation: SourceLocation = #_sourceLocation) async throws -> TaskRecord {
    let deadline = Date().addingTimeInterval(seconds)
    var record = try service.status(id)
    while record.state != state && Date() < deadline {
        try await Task.sleep(for: .milliseconds(2))
        record = try service.status(id)
    }
    #expect(record.state == state, "task \(id) is \(record.state), expected \(state)", sourceLocation: sourceLocation)
    return record
}

/// Waits until `condition` holds (or records an issue after `seconds`). The default is generous: under the full parallel suite,
/// other tests' blocking work can keep the cooperative pool busy for seconds.
func eventually(_ seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try !condition() {
        guard Date() < deadline else {
            Issue.record("condition not met within \(seconds) s", sourceLocation: sourceLocation)
            return
        }
        try await Task.sleep(for: .milliseconds(2))
    }
}

func request(_ type: String, _ context: String, backend: String = "cpu", priority: Int = 0, timeout: Duration? = nil) -> ProofRequest {
    ProofRequest(proofType: type, context: Array(context.utf8), backend: backend, priority: priority, timeout: timeout)
}

/// A handler that blocks until cancelled or released (for filling a pool).
func blockingHandler(_ type: String, probe: Probe, release: CancellationToken) -> TestHandler {
    TestHandler(proofType: type, body: { input, token in
        probe.enter(String(decoding: input.context, as: UTF8.self))
        defer { probe.leave() }
        while !token.isCancelled && !release.isCancelled { _ = token.sleep(seconds: 0.005) }
        try token.checkCancellation()
        return ProofArtifact(proof: input.context)
    })
}
