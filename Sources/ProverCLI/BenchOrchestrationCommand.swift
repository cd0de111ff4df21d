import ArgumentParser
import Foundation
import ProverService

/// `prover bench orchestration`: measures the orchestration overhead with handlers that do
/// nothing, through the durable SQLite store.
struct BenchOrchestrationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchestration",
        abstract: "Benchmark the task orchestration (case noop: empty handlers through the SQLite store)."
    )

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false

    @Option(help: "Tasks per run.")
    var tasks = 20_000

    @Option(parsing: .upToNextOption, help: "Worker counts to run (default: 1 2).")
    var workers: [Int] = [1, 2]

    @Option(help: "Most tasks submitted but not yet completed (closed loop).")
    var window = 512

    @Option(help: "Tasks per submit call (one store transaction each).")
    var batch = 64

    @Option(help: "Directory for the SQLite files (default: a fresh temporary directory).")
    var dataDir: String?

    struct Result {
        let workers: Int
        let tasksPerSecond: Double
        let p50: Double
        let p99: Double
    }

    func run() async throws {
        let dir = dataDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("prover-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if dataDir == nil { try? FileManager.default.removeItem(at: dir) } }
        var results: [Result] = []
        for count in workers {
            let path = dir.appendingPathComponent("noop-\(count)w-\(UUID().uuidString).sqlite").path
            results.append(try await runNoop(workers: count, path: path))
        }
        if json {
            for r in results {
                print(line(metric: "tasks_per_s", value: r.tasksPerSecond, unit: "tasks/s", workers: r.workers))
                print(line(metric: "p50_ms", value: r.p50, unit: "ms", workers: r.workers))
                print(line(metric: "p99_ms", value: r.p99, unit: "ms", workers: r.workers))
            }
        } else {
            print("orchestration / noop: \(tasks) tasks, window \(window), batch \(batch), SQLite WAL synchronous=NORMAL")
            print("workers  tasks/s     p50 ms   p99 ms   overhead per task")
            for r in results {
                let perTask = 1_000 / r.tasksPerSecond
                print(String(format: "%7d  %9.1f  %7.2f  %7.2f   %.3f ms (%.2f%% of a 100 ms proof)",
                             r.workers, r.tasksPerSecond, r.p50, r.p99, perTask, perTask))
            }
        }
    }

    private func line(metric: String, value: Double, unit: String, workers: Int) -> String {
        let v = (value * 10).rounded() / 10
        return #"{"suite":"orchestration","case":"noop","metric":"\#(metric)","value":\#(v),"unit":"\#(unit)","workers":\#(workers)}"#
    }

    private func runNoop(workers count: Int, path: String) async throws -> Result {
        let store = try SQLiteStore(path: path)
        let service = ProverService(
            configuration: ServiceConfiguration(workers: ["cpu": count]),
            handlers: [NoopHandler()], taskStore: store, proofStore: store)
        let events = service.events(states: [.completed])
        try service.start()
        let total = max(1, tasks)
        let batchSize = max(1, min(batch, window))
        var submitted = 0
        var completed = 0
        let started = Date()
        func submitBatch() async throws {
            let n = min(batchSize, total - submitted)
            guard n > 0 else { return }
            let requests = (submitted..<submitted + n).map { ProofRequest(proofType: "noop", context: Array("task-\($0)".utf8)) }
            try await service.submit(requests)
            submitted += n
        }
        while submitted < min(window, total) { try await submitBatch() }
        for await event in events where event.to == .completed {
            completed += 1
            if completed == total { break }
            if submitted < total && submitted - completed <= window - batchSize { try await submitBatch() }
        }
        let elapsed = Date().timeIntervalSince(started)
        await service.shutdown(gracePeriod: .seconds(5))
        // Submit-to-complete latency from the durable timestamps.
        var latencies: [Double] = []
        var cursor: String?
        repeat {
            let page = try store.list(TaskQuery(states: [.completed], limit: 5_000, cursor: cursor))
            latencies += page.tasks.map { $0.updatedAt.timeIntervalSince($0.createdAt) * 1_000 }
            cursor = page.nextCursor
        } while cursor != nil
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int((p * Double(latencies.count)).rounded(.up)) - 1)]
        }
        return Result(workers: count, tasksPerSecond: Double(total) / elapsed, p50: percentile(0.50), p99: percentile(0.99))
    }
}

/// A handler that does nothing, to measure the orchestration itself.
struct NoopHandler: ProofHandler {
    let proofType = "noop"
    func canonicalize(_ context: [UInt8]) throws -> [UInt8] { context }
    func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact { ProofArtifact(proof: []) }
}
