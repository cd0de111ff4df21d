import Devnet
import Foundation
import PluginHost
import ProverBench
import ProverCore
import ProverService
import Synchronization

/// One measurement of `prover bench throughput`: proof type × worker count × split mode,
/// through the real service path (plugin handler, SQLite store, worker pool).
struct ThroughputRun {
    enum Mode: String, CaseIterable {
        /// Every proof on one thread: the numbers measure the worker pool.
        case oneThread = "one-thread"
        /// Every proof on every core (the other fixed split).
        case allCores = "all-cores"
        /// The service's default (`prover serve`): the cores shared among the proofs running
        /// at once (`ThreadBudget`).
        case shared = "default"
    }

    struct Result {
        var proofsPerSecond: Double
        var p50: Double
        var p99: Double
        var orchestrationShare: Double
        var cpuUtilization: Double
        var completed: Int
        /// Median and 99th percentile of a worker's time between two handler calls, µs.
        var gapP50: Double
        var gapP99: Double
    }

    let host: PluginHost
    let devnet: Devnet
    let type: String
    let workers: Int
    let mode: Mode
    let duration: Double
    let parameters: StarkParameters
    /// Whether workers hand long tasks' outcomes to the committer (the service's default).
    var commitBehind = true

    /// Distinct contexts of the type, in submission order (so tasks never deduplicate).
    func context(_ i: Int) -> [UInt8] {
        let text: String
        switch type {
        case "checkpoint": text = "{\"index\":\(i % devnet.checkpointCount + 1)}"
        case "cl-stf": text = "{\"start\":\(i + 1),\"end\":\(i + 1)}"
        default: text = "{\"start\":\(i + 3),\"end\":\(i + 3)}"
        }
        return Array(text.utf8)
    }

    var capacity: Int {
        switch type {
        case "checkpoint": devnet.checkpointCount
        case "cl-stf": devnet.l2Height
        default: devnet.execHeight - 2
        }
    }

    func run() async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prover-throughput-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("tasks.sqlite").path)
        let threads: Int? = switch mode {
        case .oneThread: 1
        case .allCores: ProcessorInfo.activeCores
        case .shared: nil
        }
        let budget = ThreadBudget()
        let busy = BusyTime()
        let handlers: [any ProofHandler] = host.proofTypes.map {
            TimedHandler(
                inner: PluginProofHandler(
                    host: host, proofType: $0, dependencyBackend: "cpu", parameters: parameters, starkBackends: ["cpu"],
                    proverThreads: threads, threadBudget: budget),
                busy: busy)
        }
        var configuration = ServiceConfiguration(workers: ["cpu": workers], ownerID: "bench")
        if !commitBehind { configuration.commitBehindAfter = nil }
        let service = ProverService(
            configuration: configuration, handlers: handlers,
            taskStore: store, proofStore: store)
        try service.start()
        let events = service.events(states: [.proving, .completed, .failed])

        var next = 0
        var targets: Set<TaskID> = []
        func submitOne() async throws {
            guard next < capacity else { return }
            let record = try await service.submit(ProofRequest(proofType: type, context: context(next), backend: "cpu"))
            next += 1
            targets.insert(record.id)
        }
        for _ in 0..<(4 * workers) { try await submitOne() }

        let clock = ContinuousClock()
        let start = clock.now, cpuStart = Self.cpuSeconds()
        let busyStart = busy.total(at: start)
        let window = Duration.seconds(duration)
        var provingSince: [TaskID: ContinuousClock.Instant] = [:]
        var latencies: [Double] = []
        var completed = 0
        for await event in events {
            let now = clock.now
            guard targets.contains(event.id) else { continue }
            switch event.to {
            case .proving: provingSince[event.id] = now
            case .completed:
                targets.remove(event.id)
                completed += 1
                if let since = provingSince.removeValue(forKey: event.id) { latencies.append((now - since) / .milliseconds(1)) }
                try await submitOne()
            default:
                targets.remove(event.id)
                try await submitOne()
            }
            if now - start >= window || (targets.isEmpty && next >= capacity) { break }
        }
        let end = clock.now
        let elapsed = (end - start) / .seconds(1)
        let cpu = Self.cpuSeconds() - cpuStart
        let inside = (busy.total(at: end) - busyStart) / .seconds(1)
        await service.shutdown(gracePeriod: .seconds(0))
        latencies.sort()
        func percentile(_ p: Double, of values: [Double]) -> Double { values.isEmpty ? 0 : values[min(values.count - 1, Int(Double(values.count) * p))] }
        func percentile(_ p: Double) -> Double { percentile(p, of: latencies) }
        let gaps = busy.gaps
        return Result(
            proofsPerSecond: Double(completed) / elapsed, p50: percentile(0.5), p99: percentile(0.99),
            orchestrationShare: max(0, 1 - inside / (Double(workers) * elapsed)),
            cpuUtilization: cpu / (elapsed * Double(ProcessorInfo.activeCores)), completed: completed,
            gapP50: percentile(0.5, of: gaps) * 1e6, gapP99: percentile(0.99, of: gaps) * 1e6)
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }
}

/// Adds the time spent inside `prove` to a counter: what is not inside a handler, while the
/// queue is never empty, is the orchestration's share.
struct TimedHandler: ProofHandler {
    let inner: any ProofHandler
    let busy: BusyTime

    var proofType: String { inner.proofType }
    var supportedBackends: Set<String>? { inner.supportedBackends }
    func canonicalize(_ context: [UInt8]) throws -> [UInt8] { try inner.canonicalize(context) }
    func dependencies(of context: [UInt8]) throws -> [ProofRequest] { try inner.dependencies(of: context) }
    func classify(_ error: any Error) -> FailureClass { inner.classify(error) }

    func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact {
        let call = busy.enter()
        defer { busy.leave(call) }
        return try inner.prove(input, cancellation: cancellation)
    }
}

/// Time spent inside handlers, summed over all worker threads, readable at any instant: calls
/// still running count up to that instant, so a window's busy time is exact at both ends.
final class BusyTime: Sendable {
    private struct State {
        var finished: Duration = .zero
        var running: [Int: ContinuousClock.Instant] = [:]
        var nextCall = 0
        /// When each worker thread last left a handler, and the gaps until it entered the next.
        var lastLeft: [UInt: ContinuousClock.Instant] = [:]
        var gaps: [Duration] = []
    }

    private let state = Mutex(State())

    func enter() -> Int {
        let thread = UInt(bitPattern: Int(bitPattern: UInt(pthread_self())))
        return state.withLock { s in
            let now = ContinuousClock.now
            if let left = s.lastLeft[thread] { s.gaps.append(now - left) }
            s.nextCall += 1
            s.running[s.nextCall] = now
            return s.nextCall
        }
    }

    func leave(_ call: Int) {
        let thread = UInt(bitPattern: Int(bitPattern: UInt(pthread_self())))
        state.withLock { s in
            let now = ContinuousClock.now
            if let since = s.running.removeValue(forKey: call) { s.finished += now - since }
            s.lastLeft[thread] = now
        }
    }

    /// Gaps between one handler call and the next on the same worker thread, in seconds,
    /// sorted (the orchestration work between two proofs, plus any wait for a task).
    var gaps: [Double] { state.withLock { $0.gaps.map { $0 / .seconds(1) } }.sorted() }

    /// Busy time up to `instant`.
    func total(at instant: ContinuousClock.Instant) -> Duration {
        state.withLock { s in s.running.values.reduce(s.finished) { $0 + max(.zero, instant - $1) } }
    }
}
