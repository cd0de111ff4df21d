import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ProverService
import ProverServicePostgres
import Testing

/// Two real `prover serve` processes on one PostgreSQL database: they share the queue, every
/// task completes exactly once, a node killed with SIGKILL mid-proof loses its tasks to the
/// other after the lease expires (no attempt used), and a PostgreSQL outage pauses the
/// survivor without losing or duplicating work.
@Suite("prover serve --store postgres", .serialized,
       .enabled(if: ProcessInfo.processInfo.environment["PROVER_TEST_POSTGRES_URL"]?.isEmpty == false,
                "PROVER_TEST_POSTGRES_URL is not set: the two-node PostgreSQL test is skipped (see README)"))
struct ServePostgresTests {
    /// One `prover serve` process; its standard error goes to a file (a pipe nobody reads would fill).
    final class Node {
        let process = Process()
        let log: URL
        var port = 0

        init(config: String, directory: String, name: String) throws {
            let binary = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                .deletingLastPathComponent().appendingPathComponent("prover")
            log = URL(fileURLWithPath: directory).appendingPathComponent("\(name).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.executableURL = binary
            process.currentDirectoryURL = URL(fileURLWithPath: directory)
            process.arguments = ["serve", "--config", config, "--port", "0", "--stark-profile", "test-insecure"]
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(60)
            while port == 0, Date() < deadline, process.isRunning {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                    port = Int(text[range].split(separator: ":").last!) ?? 0
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }

        func post(_ json: Any) async throws -> String {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/tasks")!)
            request.httpMethod = "POST"
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as! HTTPURLResponse).statusCode
            let body = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
            guard status == 202 || status == 200, let id = body["id"] as? String else {
                throw ProverServiceError.storage.with("POST /v1/tasks: \(status) \(body)")
            }
            return id
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    /// Runs `$PROVER_TEST_PG_CTL <arguments>` (system(3): Foundation's Process can miss the
    /// exit of a child whose grandchild, the postmaster, lives on).
    static func pgCtl(_ arguments: String) throws {
        guard let command = ProcessInfo.processInfo.environment["PROVER_TEST_PG_CTL"], !command.isEmpty else { return }
        let status = system("\(command) \(arguments) >/dev/null 2>&1 </dev/null")
        guard status == 0 else { throw ProverServiceError.storage.with("\(command) \(arguments): exit status \(status)") }
    }

    /// Polls the store until `count` tasks are completed (or anything failed, or time is up).
    static func waitCompleted(_ store: PostgresStore, _ count: Int, timeout: Double) async throws -> [TaskState: Int] {
        let deadline = Date().addingTimeInterval(timeout)
        var summary: [TaskState: Int] = [:]
        while Date() < deadline {
            if let counts = try? store.summary() {
                summary = counts
                if (summary[.completed] ?? 0) >= count || (summary[.failed] ?? 0) > 0 { break }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return summary
    }

    @Test func twoNodesShareTheQueueSurviveSIGKILLAndAnOutage() async throws {
        var url = try PostgresURL(ProcessInfo.processInfo.environment["PROVER_TEST_POSTGRES_URL"]!)
        url.schema = "serve_\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        url.leaseSeconds = 2
        let store = try PostgresStore(url: url)
        defer { try? store.dropSchema(); store.close() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prover-serve-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let password = url.password.map { ":\($0)" } ?? ""
        let storeURL = "postgres://\(url.user)\(password)@\(url.host):\(url.port)/\(url.database)?schema=\(url.schema)&lease_seconds=2"
        let config = directory + "/prover.json"
        try JSONSerialization.data(withJSONObject: [
            "store": storeURL, "checkpoint_runner": false, "workers": ["cpu": 1], "plugin_directory": directory,
        ]).write(to: URL(fileURLWithPath: config))

        let a = try Node(config: config, directory: directory, name: "a")
        let b = try Node(config: config, directory: directory, name: "b")
        defer { a.stop(); b.stop() }
        #expect(a.port > 0 && b.port > 0)

        // 200 short proofs, then two long ones (one of them is proving when a node is killed).
        var ids: [String] = []
        for i in 0..<200 {
            let node = i % 2 == 0 ? a : b
            ids.append(try await node.post(["type": "stark-poseidon-chain", "context": ["seed": "\(i + 1)", "messages": ["1", "2"]]]))
        }
        for rows in [1 << 19, 1 << 18] { ids.append(try await a.post(["type": "stark-fibonacci", "context": ["rows": rows]])) }
        #expect(Set(ids).count == 202)

        // SIGKILL the node proving a long task (its pid is in the lease owner).
        var victim: Node?
        let deadline = Date().addingTimeInterval(180)
        while victim == nil, Date() < deadline {
            for record in try store.list(TaskQuery(states: [.proving])).tasks where record.proofType == "stark-fibonacci" {
                let node = record.owner?.split(separator: "/").first.map(String.init) ?? ""
                let parts = node.split(separator: "-")
                if parts.count >= 3, let pid = Int32(parts[parts.count - 2]) {
                    victim = [a, b].first { $0.process.processIdentifier == pid }
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let killed = try #require(victim)
        kill(killed.process.processIdentifier, SIGKILL)
        killed.process.waitUntilExit()
        let survivor = killed === a ? b : a

        var summary = try await Self.waitCompleted(store, 202, timeout: 300)
        #expect(summary[.completed] == 202, "\(summary)")
        var all: [TaskRecord] = []
        var cursor: String?
        repeat {
            let page = try store.list(TaskQuery(limit: 1000, cursor: cursor))
            all += page.tasks
            cursor = page.nextCursor
        } while cursor != nil
        #expect(all.count == 202)
        // A crash does not use an attempt; every task has exactly one proof.
        #expect(all.allSatisfy { $0.state == .completed && $0.attempt == 0 })
        for record in all { #expect(try store.proof(for: record.id) != nil) }

        // PostgreSQL goes away for a few seconds: the survivor pauses claiming and resumes.
        guard ProcessInfo.processInfo.environment["PROVER_TEST_PG_CTL"]?.isEmpty == false else { return }
        var more: [String] = []
        for i in 0..<20 { more.append(try await survivor.post(["type": "stark-poseidon-chain", "context": ["seed": "\(1000 + i)", "messages": ["3"]]])) }
        try Self.pgCtl("stop -m fast")
        try await Task.sleep(for: .seconds(3))
        try Self.pgCtl("start")
        summary = try await Self.waitCompleted(store, 222, timeout: 120)
        // Before the fix, a worker could block forever on a statement written to a connection
        // the restart had closed, its task `proving` under a renewed lease (PostgresConnectionLossTests).
        #expect(summary[.completed] == 222 && summary.values.reduce(0, +) == 222, "\(summary)")
        // A result that could not be committed during the outage is either requeued after its
        // lease (attempt unchanged) or recorded as one transient storage failure.
        for id in more {
            let attempt = try store.task(TaskID(id)!)?.attempt ?? 9
            #expect(attempt <= 1)
        }
        #expect(survivor.process.isRunning)
    }
}
