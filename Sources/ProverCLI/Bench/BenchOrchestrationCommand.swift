import ArgumentParser
import Foundation
import ProverService
import ProverServicePostgres

/// `prover bench orchestration`: measures the orchestration overhead with handlers that do
/// nothing, through the durable SQLite store (WAL, synchronous = NORMAL), or with `--store
/// postgres://…` through PostgreSQL with 1, 2, … nodes (services with their own stores and
/// connections, in this process) sharing one fresh schema per run.
///
/// Per worker count, two phases on a fresh database file:
/// - throughput: `--tasks` tasks submitted up front in batches of `--batch` (one transaction
///   each); `tasks_per_s` = tasks / time from the first submit to the last completion.
/// - latency: `--latency-tasks` tasks in a closed loop with as many in flight as workers;
///   `p50_ms` / `p99_ms` = submit-to-complete time, from the durable created/updated timestamps.
struct BenchOrchestrationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchestration",
        abstract: "Benchmark the task orchestration (case noop: empty handlers through the SQLite store)."
    )

    @Flag(help: "Print JSON lines instead of a table.")
    var json = false

    @Option(help: "Tasks in the throughput phase.")
    var tasks = 20_000

    @Option(help: "Tasks in the latency phase.")
    var latencyTasks = 2_000

    @Option(parsing: .upToNextOption, help: "Worker counts to run.")
    var workers: [Int] = [1, 2]

    @Option(help: "Tasks per submit call (one store transaction each) in the throughput phase.")
    var batch = 256

    @Option(help: "Directory for the SQLite files (default: a fresh temporary directory, removed afterwards).")
    var dataDir: String?

    @Option(help: "postgres://user:password@host:port/database: measure the PostgreSQL store instead (a fresh schema per run, dropped afterwards).")
    var store: String?

    @Option(parsing: .upToNextOption, help: "With --store: node counts to run (each node gets --workers' first value of workers).")
    var nodes: [Int] = [1, 2]

    @Flag(help: "Claim and commit one task at a time (ServiceConfiguration.batching off), for comparison.")
    var noBatching = false

    /// The services' configuration: `workers` per backend `cpu`, batching as asked.
    func configuration(workers: Int, ownerID: String? = nil) -> ServiceConfiguration {
        var configuration = ServiceConfiguration(workers: ["cpu": workers], ownerID: ownerID)
        if noBatching { configuration.batching = nil }
        return configuration
    }

    struct Result {
        let workers: Int
        let tasksPerSecond: Double
        let p50: Double
        let p99: Double
    }

    func run() async throws {
        if let store {
            try await BenchPostgres(command: self, url: store).run()
            return
        }
        let dir = dataDir.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("prover-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { if dataDir == nil { try? FileManager.default.removeItem(at: dir) } }
        var results: [Result] = []
        for count in workers {
            let path = dir.appendingPathComponent("noop-\(count)w-\(UUID().uuidString).sqlite").path
            let store = try SQLiteStore(path: path)
            let service = ProverService(configuration: configuration(workers: count),
                                        handlers: [NoopHandler()], taskStore: store, proofStore: store)
            try service.start()
            let rate = try await throughput(service)
            let (p50, p99) = try await latency(service, inFlight: count)
            await service.shutdown(gracePeriod: .seconds(5))
            results.append(Result(workers: count, tasksPerSecond: rate, p50: p50, p99: p99))
        }
        if json {
            for r in results {
                print(line(metric: "tasks_per_s", value: r.tasksPerSecond, unit: "tasks/s", workers: r.workers))
                print(line(metric: "p50_ms", value: r.p50, unit: "ms", workers: r.workers))
                print(line(metric: "p99_ms", value: r.p99, unit: "ms", workers: r.workers))
            }
        } else {
            print("orchestration / noop: \(tasks) tasks (throughput), \(latencyTasks) tasks (latency), SQLite WAL synchronous=NORMAL")
            print("workers    tasks/s   p50 ms   p99 ms   service time per task")
            for r in results {
                let perTask = 1_000 / r.tasksPerSecond
                print(String(format: "%7d  %9.1f  %7.3f  %7.3f   %.3f ms (%.2f%% of a 100 ms proof)",
                             r.workers, r.tasksPerSecond, r.p50, r.p99, perTask, perTask))
            }
        }
    }

    func line(metric: String, value: Double, unit: String, workers: Int) -> String {
        let v = (value * 1000).rounded() / 1000
        return #"{"suite":"orchestration","case":"noop","metric":"\#(metric)","value":\#(v),"unit":"\#(unit)","workers":\#(workers)}"#
    }

    func requests(_ range: Range<Int>, phase: String) -> [ProofRequest] {
        range.map { ProofRequest(proofType: "noop", context: Array("\(phase)-\($0)".utf8)) }
    }

    /// Saturated: everything submitted up front; time until the last task completes.
    private func throughput(_ service: ProverService) async throws -> Double {
        let total = max(1, tasks)
        let started = Date()
        var ids: [TaskID] = []
        ids.reserveCapacity(total)
        var next = 0
        while next < total {
            let end = min(total, next + max(1, batch))
            ids += try await service.submit(requests(next..<end, phase: "t")).map(\.id)
            next = end
        }
        for id in ids.reversed() {
            // FIFO: the last ones finish last; earlier ones are usually final by then.
            let record = try await service.wait(for: id)
            guard record.state == .completed else { throw ValidationError("task \(id) ended \(record.state)") }
        }
        return Double(total) / Date().timeIntervalSince(started)
    }

    /// Closed loop with `inFlight` tasks outstanding: submit-to-complete latency in ms.
    func latency(_ service: ProverService, inFlight: Int) async throws -> (Double, Double) {
        let total = max(1, latencyTasks)
        var ids: [TaskID] = []
        try await withThrowingTaskGroup(of: [TaskID].self) { group in
            for lane in 0..<max(1, inFlight) {
                group.addTask {
                    var mine: [TaskID] = []
                    for i in stride(from: lane, to: total, by: max(1, inFlight)) {
                        let id = try await service.submit(requests(i..<i + 1, phase: "l"))[0].id
                        _ = try await service.wait(for: id)
                        mine.append(id)
                    }
                    return mine
                }
            }
            for try await lane in group { ids += lane }
        }
        var latencies = try ids.map { id -> Double in
            let record = try service.status(id)
            return record.updatedAt.timeIntervalSince(record.createdAt) * 1_000
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            latencies[min(latencies.count - 1, max(0, Int((p * Double(latencies.count)).rounded(.up)) - 1))]
        }
        return (percentile(0.50), percentile(0.99))
    }
}

/// A handler that does nothing, to measure the orchestration itself.
struct NoopHandler: ProofHandler {
    let proofType = "noop"
    func canonicalize(_ context: [UInt8]) throws -> [UInt8] { context }
    func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact { ProofArtifact(proof: []) }
}
