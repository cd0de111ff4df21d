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
        /// The service's default split: cores / workers prover threads per proof.
        case split = "default"
    }

    struct Result {
        var proofsPerSecond: Double
        var p50: Double
        var p99: Double
        var orchestrationShare: Double
        var cpuUtilization: Double
        var completed: Int
    }

    let host: PluginHost
    let devnet: Devnet
    let type: String
    let workers: Int
    let mode: Mode
    let duration: Double
    let parameters: StarkParameters

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
        let threads = mode == .oneThread ? 1 : max(1, ProcessorInfo.activeCores / workers)
        let busy = BusyTime()
        let handlers: [any ProofHandler] = host.proofTypes.map {
            TimedHandler(
                inner: PluginProofHandler(
                    host: host, proofType: $0, dependencyBackend: "cpu", parameters: parameters, starkBackends: ["cpu"],
                    proverThreads: threads),
                busy: busy)
        }
        let service = ProverService(
            configuration: ServiceConfiguration(workers: ["cpu": workers], ownerID: "bench"), handlers: handlers,
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
        for _ in 0..<(2 * workers) { try await submitOne() }

        let clock = ContinuousClock()
        let start = clock.now, cpuStart = Self.cpuSeconds()
        let busyStart = busy.nanoseconds.load(ordering: .relaxed)
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
        let elapsed = (clock.now - start) / .seconds(1)
        let cpu = Self.cpuSeconds() - cpuStart
        let inside = Double(busy.nanoseconds.load(ordering: .relaxed) - busyStart) / 1e9
        await service.shutdown(gracePeriod: .seconds(0))
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return Result(
            proofsPerSecond: Double(completed) / elapsed, p50: percentile(0.5), p99: percentile(0.99),
            orchestrationShare: max(0, 1 - inside / (Double(workers) * elapsed)),
            cpuUtilization: cpu / (elapsed * Double(ProcessorInfo.activeCores)), completed: completed)
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
        let start = DispatchTime.now().uptimeNanoseconds
        defer { busy.nanoseconds.add(Int64(DispatchTime.now().uptimeNanoseconds - start), ordering: .relaxed) }
        return try inner.prove(input, cancellation: cancellation)
    }
}

/// Nanoseconds spent inside handlers, from all worker threads.
final class BusyTime: Sendable {
    let nanoseconds = Atomic<Int64>(0)
}
