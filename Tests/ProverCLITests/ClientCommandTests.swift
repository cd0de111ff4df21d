import Foundation
import Testing

/// The client verbs (`submit`, `status`, `wait`, `get`, `cancel`, `list`) against a real
/// `prover serve` process.
@Suite("prover client verbs", .serialized)
struct ClientCommandTests {
    /// A daemon on a free port with the cheap STARK profile, one worker (so a second task stays
    /// queued behind a long one) and no checkpoint runner (its tasks would show in the lists), in
    /// its own directory.
    static func daemon(_ extra: [String] = [], environment: [String: String] = [:]) throws -> (ProverServer, String) {
        let directory = try temporaryDirectory("prover-client")
        let server = try ProverServer(
            ["serve", "--port", "0", "--stark-profile", "test-insecure", "--workers", "1"] + extra, directory: directory,
            environment: environment.merging(["PROVER_CHECKPOINT_RUNNER": "false"]) { a, _ in a })
        guard server.port > 0 else { throw TestFailure("the daemon did not start: \(server.log)") }
        return (server, directory)
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    @Test func submitWaitGetAndVerifyTheDownloadedProof() throws {
        let (server, directory) = try Self.daemon()
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let url = ["--url", server.url]
        let submit = try runProver(["submit", "stark-fibonacci", #"{"rows": 64}"#] + url, environment: [:])
        #expect(submit.status == 0, "\(submit.stderr)")
        let fields = submit.stdout.split(separator: " ")
        let id = String(try #require(fields.first))
        #expect(id.count == 32)

        let wait = try runProver(["wait", id, "--timeout", "120"] + url, environment: [:])
        #expect(wait.status == 0, "\(wait.stderr)")
        // Not a terminal: one line per transition, the last one completed.
        let lines = wait.stdout.split(separator: "\n")
        #expect(lines.last?.contains("\(id) stark-fibonacci: completed") == true, "\(wait.stdout)")
        #expect(!wait.stdout.contains("\r"))

        let status = try runProver(["status", id] + url, environment: [:])
        #expect(status.status == 0)
        #expect(status.stdout.contains("state:") && status.stdout.contains("completed"))
        #expect(status.stdout.contains(#"{"rows":64}"#))

        let proofPath = "\(directory)/fib.proof", receiptPath = "\(directory)/fib.receipt.json"
        let get = try runProver(["get", id, "--out", proofPath, "--receipt", receiptPath] + url, environment: [:])
        #expect(get.status == 0, "\(get.stderr)")
        let receipt = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: receiptPath))) as? [String: Any])
        #expect(receipt["verified"] as? Bool == true)
        #expect(receipt["proof_bytes"] as? Int == (try Data(contentsOf: URL(fileURLWithPath: proofPath))).count)

        // The downloaded bytes verify offline, with the CLI's own verifier.
        let verify = try runProver(["stark", "verify", "--air", "fibonacci", "--steps", "64", "--profile", "test-insecure", proofPath], environment: [:])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("valid"))

        // Submitting again answers from the store; --wait returns at once.
        let again = try runProver(["submit", "stark-fibonacci", #"{"rows": 64}"#, "--wait"] + url, environment: [:])
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix("\(id) completed"))
    }

    @Test func cancelAQueuedTaskAndWaitReportsIt() throws {
        let (server, directory) = try Self.daemon()
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let url = ["--url", server.url]
        // A long proof occupies the single worker; the next task stays queued.
        let long = try runProver(["submit", "stark-fibonacci", #"{"rows": 262144}"#] + url, environment: [:])
        let queued = try runProver(["submit", "stark-fibonacci", #"{"rows": 128}"#] + url, environment: [:])
        let longID = String(long.stdout.prefix(32)), queuedID = String(queued.stdout.prefix(32))
        let cancel = try runProver(["cancel", queuedID] + url, environment: [:])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.stdout == "\(queuedID) cancelled\n")

        let wait = try runProver(["wait", queuedID] + url, environment: [:])
        #expect(wait.status == 1)
        #expect(wait.stderr.contains("task \(queuedID) cancelled"), "\(wait.stderr)")

        // A proof of an unfinished task is a conflict, said clearly.
        let get = try runProver(["get", queuedID, "--out", "\(directory)/x"] + url, environment: [:])
        #expect(get.status == 1)
        #expect(get.stderr.contains("conflict (HTTP 409)"), "\(get.stderr)")

        // --timeout ends the wait with status 2 while the task goes on.
        let timeout = try runProver(["wait", longID, "--timeout", "0.3"] + url, environment: [:])
        #expect(timeout.status == 2, "\(timeout.stderr)")
        #expect(timeout.stderr.contains("--timeout"))
        _ = try runProver(["cancel", longID] + url, environment: [:])
    }

    @Test func listFiltersAndPages() throws {
        let (server, directory) = try Self.daemon()
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let url = ["--url", server.url]
        var ids: [String] = []
        for rows in [8, 16, 32] {
            let submit = try runProver(["submit", "stark-fibonacci", "{\"rows\": \(rows)}", "--wait"] + url, environment: [:])
            #expect(submit.status == 0, "\(submit.stderr)")
            ids.append(String(submit.stdout.prefix(32)))
        }
        let poseidon = try runProver(["submit", "stark-poseidon-chain", #"{"seed": "1", "messages": ["2"]}"#, "--wait"] + url, environment: [:])
        #expect(poseidon.status == 0, "\(poseidon.stderr)")

        let fib = try runProver(["list", "--type", "stark-fibonacci", "--state", "completed"] + url, environment: [:])
        #expect(fib.status == 0)
        let lines = fib.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(Set(lines.map { String($0.prefix(32)) }) == Set(ids))
        #expect(lines.allSatisfy { $0.contains("completed") && $0.contains("stark-fibonacci") })

        let none = try runProver(["list", "--state", "failed"] + url, environment: [:])
        #expect(none.status == 0 && none.stdout.isEmpty)

        // Pages of one, followed by their cursors, visit all four tasks once.
        var seen: [String] = []
        var cursor: String?
        for _ in 0..<10 {
            let page = try runProver(["list", "--limit", "1"] + (cursor.map { ["--cursor", $0] } ?? []) + url, environment: [:])
            #expect(page.status == 0, "\(page.stderr)")
            seen += page.stdout.split(separator: "\n").map { String($0.prefix(32)) }
            guard let range = page.stderr.range(of: "next cursor: ") else { break }
            cursor = String(page.stderr[range.upperBound...].prefix { !$0.isNewline })
        }
        #expect(seen.count == 4 && Set(seen).count == 4)

        let badState = try runProver(["list", "--state", "done"] + url, environment: [:])
        #expect(badState.status == 1)
        #expect(badState.stderr.contains("invalid_input (HTTP 400)") && badState.stderr.contains("field state"), "\(badState.stderr)")
    }

    @Test func daemonErrorsAndAnUnreachableDaemonArePrintedClearly() throws {
        let digest = try runProver(["serve", "--hash-api-key", "s3cret-token"], environment: [:]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let (server, directory) = try Self.daemon(environment: ["PROVER_API_KEYS": "ci=\(digest)"])
        defer {
            server.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let url = ["--url", server.url]
        let unknown = String(repeating: "0", count: 32)

        // No token: 401 unauthorized.
        let anonymous = try runProver(["status", unknown] + url, environment: [:])
        #expect(anonymous.status == 1)
        #expect(anonymous.stderr.contains("unauthorized (HTTP 401)"), "\(anonymous.stderr)")

        // The token from the environment; an unknown task is a 404 with the daemon's message.
        let missing = try runProver(["status", unknown] + url, environment: ["PROVER_API_KEY": "s3cret-token"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Error: not_found (HTTP 404)"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("s3cret-token"))
        let flag = try runProver(["list", "--api-key", "s3cret-token"] + url, environment: [:])
        #expect(flag.status == 0, "\(flag.stderr)")
        #expect(!server.log.contains("s3cret-token") && !server.log.contains(digest))

        // A malformed id is refused before any request.
        let bad = try runProver(["cancel", "xyz"] + url, environment: [:])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("32 lowercase hex digits"))

        // Nothing listening.
        let down = try runProver(["status", unknown, "--url", "http://127.0.0.1:1"], environment: [:])
        #expect(down.status == 1)
        #expect(down.stderr.contains("the daemon is not reachable at http://127.0.0.1:1"), "\(down.stderr)")
        let submit = try runProver(["submit", "stark-fibonacci", "{}", "--url", "http://127.0.0.1:1"], environment: [:])
        #expect(submit.status == 1)
        #expect(submit.stderr.contains("not reachable"))
    }
}
