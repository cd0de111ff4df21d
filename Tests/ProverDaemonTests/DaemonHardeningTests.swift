import Foundation
import ProverDaemon
import Testing

/// Bad input, authentication, rate limits, body caps and queue bounds: structured errors with
/// stable codes, never a crash.
@Suite("Daemon hardening", .serialized)
struct DaemonHardeningTests {
    @Test func malformedSubmissionsGetInvalidInputNamingTheField() async throws {
        let d = try await DaemonHarness.start()
        defer { Task { await d.stop() } }
        let cases: [(Any, String?)] = [
            (["type": "no-such-type", "context": [:]], "type"),
            (["type": "stark-fibonacci", "context": ["rows": 100]], "context"),
            (["type": "stark-fibonacci", "context": ["rows": 64], "extra": 1], "extra"),
            (["type": "stark-fibonacci", "context": ["rows": 64], "priority": "high"], "priority"),
            (["type": "stark-fibonacci", "context": ["rows": 64], "backend": "gpu"], "backend"),
            (["type": 7, "context": [:]], "type"),
            (["type": "stark-fibonacci"], "context"),
            (["type": "stark-poseidon-chain", "context": ["seed": "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", "messages": ["1"]]], "context"),
        ]
        for (body, field) in cases {
            let reply = try await d.post("/v1/tasks", json: body)
            #expect(reply.status == 400, "\(body)")
            #expect(reply.code == "invalid_input")
            #expect(reply.json["field"] as? String == field, "\(body): \(reply.json)")
            #expect(reply.json["retryable"] as? Bool == false)
        }
        let garbage = try await d.request("POST", "/v1/tasks", body: Data("{not json".utf8))
        #expect(garbage.status == 400)
        #expect(garbage.code == "invalid_input")
        let badID = try await d.request("GET", "/v1/tasks/xyz")
        #expect(badID.code == "invalid_input")
        let unknown = try await d.request("GET", "/v1/tasks/\(String(repeating: "0", count: 32))")
        #expect(unknown.status == 404)
        #expect(unknown.code == "not_found")
        let noRoute = try await d.request("GET", "/v2/nothing")
        #expect(noRoute.status == 404)
        #expect(noRoute.code == "not_found")
    }

    @Test func oversizedBodiesAre413() async throws {
        let d = try await DaemonHarness.start { $0.maxBodyBytes = 4096 }
        defer { Task { await d.stop() } }
        let big = Data(repeating: UInt8(ascii: " "), count: 10_000)
        let reply = try await d.request("POST", "/v1/tasks", body: big)
        #expect(reply.status == 413)
        #expect(reply.code == "payload_too_large")
    }

    @Test func apiKeysAreRequiredWhenConfigured() async throws {
        let token = "secret-token-1"
        let d = try await DaemonHarness.start { $0.apiKeys = ["ops": ProverDaemonTestKeys.digest(token)] }
        defer { Task { await d.stop() } }
        let none = try await d.request("GET", "/v1/proof-types")
        #expect(none.status == 401)
        #expect(none.code == "unauthorized")
        #expect(none.headers["www-authenticate"] == "Bearer")
        let wrong = try await d.request("GET", "/v1/proof-types", headers: ["Authorization": "Bearer nope"])
        #expect(wrong.status == 401)
        let right = try await d.request("GET", "/v1/proof-types", headers: ["Authorization": "Bearer \(token)"])
        #expect(right.status == 200)
        #expect(try await d.request("GET", "/healthz").status == 200)
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let d = try await DaemonHarness.start {
            $0.rateLimitBurst = 3
            $0.rateLimitPerSecond = 0.01
        }
        defer { Task { await d.stop() } }
        var statuses: [Int] = []
        var last: DaemonHarness.Reply?
        for _ in 0..<5 {
            let reply = try await d.request("GET", "/v1/proof-types")
            statuses.append(reply.status)
            last = reply
        }
        #expect(statuses.prefix(3).allSatisfy { $0 == 200 })
        #expect(statuses.last == 429)
        #expect(last?.code == "rate_limited")
        #expect(last?.json["retryable"] as? Bool == true)
        #expect(Int(last?.headers["retry-after"] ?? "") ?? 0 >= 1)
    }

    @Test func boundedQueueAnswers503QueueFull() async throws {
        // One worker: the first task proves, the second waits, the third finds the queue full.
        let d = try await DaemonHarness.start {
            $0.maxQueueDepth = 1
            $0.workers = ["cpu": 1]
        }
        defer { Task { await d.stop() } }
        var codes: [String?] = []
        for rows in [1 << 17, 1 << 16, 1 << 15] {
            let reply = try await d.post("/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": rows]])
            codes.append(reply.status == 202 ? nil : reply.code)
            if reply.status == 503 { #expect(reply.headers["retry-after"] != nil) }
        }
        #expect(codes.contains("queue_full"), "\(codes)")
    }

    @Test func badConfigurationIsRefusedAtStart() throws {
        var open = DaemonConfiguration()
        open.host = "0.0.0.0"
        #expect(throws: DaemonError.self) { try open.validate() }
        var profile = DaemonConfiguration()
        profile.starkProfile = "fast"
        #expect(throws: DaemonError.self) { try profile.validate() }
        var key = DaemonConfiguration()
        key.apiKeys = ["ops": "not-a-digest"]
        #expect(throws: DaemonError.self) { try key.validate() }
        #expect(throws: DaemonError.self) {
            try JSONDecoder().decode(DaemonConfiguration.self, from: Data("{\"prot\": 1}".utf8))
        }
    }
}

enum ProverDaemonTestKeys {
    static func digest(_ token: String) -> String {
        // Same digest `prover serve --hash-api-key` prints: BLAKE3 of the token's UTF-8 bytes.
        APIKeyDigest.of(token)
    }
}
