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
    path: String? = nil, start: Bool = true
) throws -> (ProverService, SQLiteStore) {
    let file = try path ?? temporaryDirectory().appendingPathComponent("tasks.sqlite").path
    let store = try SQLiteStore(path: file)
    let config = ServiceConfiguration(workers: workers, retry: retry, defaultTimeout: timeout, ownerID: "test", random: random)
    let service = ProverService(configuration: config, handlers: handlers, taskStore: store, proofStore: store, clock: clock)
    if start { try service.start() }
    return (service, store)
}

/// Waits until a task reaches `state` (or fails the test after `seconds`).
@discardableResult
func waitFor(_ service: ProverService, _ id: TaskID, _ state: TaskState, seconds: Double = 5,
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

/// Waits until `condition` holds (or fails after `seconds`).
func eventually(_ seconds: Double = 5, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () throws -> Bool) async throws {
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
