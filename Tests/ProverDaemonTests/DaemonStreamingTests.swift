import Foundation
import Testing

/// What needs a raw connection: a chunked body that outgrows the cap while streaming, and the
/// server-sent event stream.
@Suite("Daemon streaming", .serialized)
struct DaemonStreamingTests {
    @Test func chunkedBodyPastTheCapIs413() async throws {
        let d = try await DaemonHarness.start { $0.maxBodyBytes = 4096 }
        defer { Task { await d.stop() } }
        // No Content-Length: the cap can only be enforced while the body streams in.
        let head = "POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        let chunk = String(repeating: " ", count: 2048)
        let chunks = (0..<4).map { _ in String(2048, radix: 16) + "\r\n" + chunk + "\r\n" } + ["0\r\n\r\n"]
        let answer = try d.raw(head, chunks: chunks, until: "}")
        #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
        #expect(answer.contains("\"code\":\"payload_too_large\""))
    }

    @Test func aRequestPastTheTimeLimitIs504() async throws {
        let d = try await DaemonHarness.start { $0.requestTimeoutSeconds = 0.5 }
        defer { Task { await d.stop() } }
        // The body never arrives, so the route waits on it until the time limit answers.
        let head = "POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        let answer = try d.raw(head, until: "}", timeout: 20)
        #expect(answer.hasPrefix("HTTP/1.1 504"), "\(answer.prefix(200))")
        #expect(answer.contains("\"code\":\"timeout\""))
        #expect(answer.contains("\"retryable\":true"))
    }

    @Test func eventStreamCarriesTaskTransitions() async throws {
        let d = try await DaemonHarness.start()
        defer { Task { await d.stop() } }
        let stream = Task.detached {
            try d.raw("GET /v1/events?state=completed HTTP/1.1\r\nHost: x\r\n\r\n", until: "\"to\":\"completed\"", timeout: 60)
        }
        try await Task.sleep(for: .milliseconds(300))  // let the stream subscribe
        let submitted = try await d.post("/v1/tasks", json: ["type": "stark-fibonacci", "context": ["rows": 16]])
        let id = try #require(submitted.json["id"] as? String)
        let text = try await stream.value
        #expect(text.contains("text/event-stream"))
        #expect(text.contains("event: task"))
        #expect(text.contains("\"id\":\"\(id)\""))
        #expect(text.contains("\"to\":\"completed\""))
    }
}
