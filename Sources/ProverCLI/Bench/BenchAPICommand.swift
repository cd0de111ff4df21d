import ArgumentParser
import Foundation
import ProverBench

/// `prover bench api`: request rate and latency of the daemon's REST API, driven from this
/// process at a `prover serve` child process over loopback (docs/performance.md, "API").
///
/// The server runs on a fresh temporary data directory with the insecure test profile and rate
/// limits lifted. Phases: `--seed-tasks` small proofs are submitted and proven (their ids are
/// what the status phase reads); then `--requests` `GET /v1/tasks/{id}` over `--connections`
/// keep-alive connections; then `--submits` new `POST /v1/tasks` (each a distinct
/// stark-poseidon-chain statement, so every one is stored and queued).
struct BenchAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Status and submit requests per second and p50/p99 latency against a prover serve child process."
    )

    @Option(help: "Status requests (GET /v1/tasks/{id}).")
    var requests = 20_000

    @Option(help: "Submit requests (POST /v1/tasks).")
    var submits = 2_000

    @Option(help: "Concurrent keep-alive connections.")
    var connections = 4

    @Option(help: "Tasks proven before the status phase.")
    var seedTasks = 64

    @OptionGroup var output: BenchOutputOptions

    func validate() throws {
        guard (1...10_000_000).contains(requests), (0...1_000_000).contains(submits) else {
            throw ValidationError("--requests must be in 1…10^7 and --submits in 0…10^6")
        }
        guard (1...256).contains(connections) else { throw ValidationError("--connections must be in 1…256") }
        guard (1...10_000).contains(seedTasks) else { throw ValidationError("--seed-tasks must be in 1…10000") }
    }

    func run() throws {
        let requests = output.quick ? min(requests, 5_000) : requests
        let submits = output.quick ? min(submits, 500) : submits
        let server = try APIBenchServer.start()
        defer { server.stop() }

        // Seed tasks, proven before the reads begin.
        let seeded = HTTPLoad.run(port: server.port, connections: 1, count: seedTasks, expecting: [200, 202]) { i in
            Self.submitRequest(seed: 1_000_000 + i)
        }
        guard seeded.failed == 0 else { throw BenchAPIError(message: "seeding failed: \(seeded.firstFailure ?? "?")") }
        let ids = try server.listIDs(limit: seedTasks)
        try server.waitIdle(seconds: 120)

        let status = HTTPLoad.run(port: server.port, connections: connections, count: requests, expecting: [200]) { i in
            HTTPLoad.Request(method: "GET", path: "/v1/tasks/\(ids[i % ids.count])")
        }
        let submit = HTTPLoad.run(port: server.port, connections: connections, count: submits, expecting: [200, 202]) { i in
            Self.submitRequest(seed: i + 1)
        }
        var records: [BenchmarkRecord] = []
        for (name, result) in [("status", status), ("submit", submit)] where result.succeeded + result.failed > 0 {
            if let failure = result.firstFailure {
                FileHandle.standardError.write(Data("bench api: \(result.failed) \(name) requests failed, e.g. \(failure)\n".utf8))
            }
            let extra = [("connections", String(connections)), ("requests", String(result.succeeded + result.failed))]
            records.append(BenchmarkRecord(suite: "api", name: name, metric: "req_per_s", value: result.requestsPerSecond, unit: "req/s", extra: extra))
            records.append(BenchmarkRecord(suite: "api", name: name, metric: "p50_ms", value: result.quantileMilliseconds(0.5), unit: "ms", extra: extra))
            records.append(BenchmarkRecord(suite: "api", name: name, metric: "p99_ms", value: result.quantileMilliseconds(0.99), unit: "ms", extra: extra))
            records.append(BenchmarkRecord(suite: "api", name: name, metric: "errors", value: Double(result.failed), unit: "requests", extra: extra))
        }
        output.emit(records)
        if status.failed + submit.failed > 0 { throw ExitCode(1) }
    }

    /// A distinct one-message Poseidon chain per seed: stored and queued, cheap to prove.
    static func submitRequest(seed: Int) -> HTTPLoad.Request {
        let body = #"{"type":"stark-poseidon-chain","context":{"seed":"\#(seed)","messages":["1"]}}"#
        return HTTPLoad.Request(method: "POST", path: "/v1/tasks", body: Array(body.utf8), headers: ["Content-Type: application/json"])
    }
}

struct BenchAPIError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
