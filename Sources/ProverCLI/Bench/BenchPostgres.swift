import ArgumentParser
import Foundation
import ProverService
import ProverServicePostgres

/// `prover bench orchestration --store postgres://…`: case `noop` through PostgreSQL with
/// 1, 2, … nodes. Each node is a `ProverService` with its own `PostgresStore` (own connections,
/// own node id) in this process, all on one fresh schema per run; tasks are submitted through
/// the first node and claimed by all (`FOR UPDATE SKIP LOCKED`).
struct BenchPostgres {
    let command: BenchOrchestrationCommand
    let url: String

    struct Result {
        let nodes: Int
        let tasksPerSecond: Double
        let p50: Double
        let p99: Double
    }

    func run() async throws {
        let base = try PostgresURL(url)
        let workers = max(1, command.workers.first ?? 1)
        var results: [Result] = []
        for count in command.nodes.map({ max(1, $0) }) {
            var nodeURL = base
            nodeURL.schema = "bench_\(UInt32.random(in: 0...UInt32.max))"
            var services: [ProverService] = []
            var stores: [PostgresStore] = []
            for _ in 0..<count {
                let store = try PostgresStore(url: nodeURL)
                var configuration = command.configuration(workers: workers, ownerID: ServiceConfiguration.uniqueNodeID())
                configuration.remoteWaitPoll = .milliseconds(2)
                let service = ProverService(configuration: configuration, handlers: [NoopHandler()], taskStore: store, proofStore: store)
                try service.start()
                services.append(service)
                stores.append(store)
            }
            let rate = try await throughput(services[0])
            let (p50, p99) = try await command.latency(services[0], inFlight: count * workers)
            for service in services { await service.shutdown(gracePeriod: .seconds(5)) }
            try stores[0].dropSchema()
            for store in stores { store.close() }
            results.append(Result(nodes: count, tasksPerSecond: rate, p50: p50, p99: p99))
        }
        if command.json {
            for r in results {
                for (metric, value, unit) in [("tasks_per_s", r.tasksPerSecond, "tasks/s"), ("p50_ms", r.p50, "ms"), ("p99_ms", r.p99, "ms")] {
                    let v = (value * 1000).rounded() / 1000
                    print(#"{"suite":"orchestration","case":"noop","store":"postgres","metric":"\#(metric)","value":\#(v),"unit":"\#(unit)","nodes":\#(r.nodes),"workers":\#(workers)}"#)
                }
            }
        } else {
            print("orchestration / noop: \(command.tasks) tasks (throughput), \(command.latencyTasks) tasks (latency), PostgreSQL \(base), \(workers) worker(s) per node")
            print("nodes    tasks/s   p50 ms   p99 ms")
            for r in results {
                print(String(format: "%5d  %9.1f  %7.3f  %7.3f", r.nodes, r.tasksPerSecond, r.p50, r.p99))
            }
        }
    }

    /// Everything submitted up front through one node; time until the store counts them all
    /// completed (polled every 25 ms: waiting per task would measure the waits, and each poll
    /// is a scan of the whole table — at every 5 ms the polls took a fifth of the server's CPU).
    private func throughput(_ service: ProverService) async throws -> Double {
        let total = max(1, command.tasks)
        let started = Date()
        var next = 0
        while next < total {
            let end = min(total, next + max(1, command.batch))
            try await service.submit(command.requests(next..<end, phase: "t"))
            next = end
        }
        while true {
            let summary = try service.summary()
            if summary[.completed] >= total { break }
            if summary[.failed] + summary[.cancelled] > 0 { throw ValidationError("tasks failed: \(summary.counts)") }
            try await Task.sleep(for: .milliseconds(25))
        }
        return Double(total) / Date().timeIntervalSince(started)
    }
}
