import Devnet
import Foundation
import ProverDaemon
import Testing

/// `JSONRPCChainSource` against a `ChainRPCServer` over the devnet: the same answers as the
/// devnet itself, the same error kinds, and `unavailable` when nothing listens.
@Suite("JSON-RPC chain source")
struct JSONRPCChainSourceTests {
    /// A server over `devnet` on a free port, until `body` returns.
    func withServer(_ devnet: Devnet, _ body: (URL) async throws -> Void) async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = Task { try await ChainRPCServer(source: devnet, port: 0).run { continuation.yield($0) } }
        defer { server.cancel() }
        var ports = stream.makeAsyncIterator()
        let port = try #require(await ports.next())
        try await body(URL(string: "http://127.0.0.1:\(port)")!)
    }

    func fetch(_ source: JSONRPCChainSource, _ method: String, _ params: String) async -> Result<[UInt8], ChainError> {
        // Blocking calls belong on a thread of their own, not on the cooperative pool.
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result<[UInt8], ChainError> { () throws(ChainError) in
                    try source.fetch(method: method, params: Array(params.utf8))
                })
            }
        }
    }

    @Test func answersAsTheDevnetDoes() async throws {
        let devnet = Devnet(seed: 5, checkpoints: 3)
        let local = Devnet(seed: 5, checkpoints: 3)
        try await withServer(devnet) { url in
            let source = JSONRPCChainSource(url: url)
            for (method, params) in [
                ("chain_getInfo", "{}"), ("chain_getExecBlock", #"{"number": 4}"#), ("chain_getL2Block", #"{"number": 2}"#),
                ("chain_getCheckpoint", #"{"index": 3}"#),
            ] {
                let remote = try await fetch(source, method, params).get()
                let expected = try local.fetch(method: method, params: Array(params.utf8))
                #expect(remote == expected, "\(method)")
            }
            for (method, params, kind) in [
                ("chain_getCheckpoint", #"{"index": 99}"#, ChainError.Kind.notFound),
                ("chain_getExecBlock", #"{"number": "x"}"#, .invalidRequest),
                ("chain_nope", "{}", .invalidRequest),
            ] {
                guard case .failure(let error) = await fetch(source, method, params) else {
                    Issue.record("\(method) succeeded")
                    continue
                }
                #expect(error.kind == kind, "\(method): \(error)")
            }
            // A simulated outage of the served devnet is the source's `unavailable`, message kept.
            devnet.setAvailable(false)
            guard case .failure(let outage) = await fetch(source, "chain_getInfo", "{}") else {
                Issue.record("no outage")
                return
            }
            #expect(outage.kind == .unavailable)
            #expect(outage.message.contains("simulated outage"))
        }
    }

    @Test func nothingListeningIsUnavailableAfterItsRetries() async throws {
        let source = JSONRPCChainSource(url: URL(string: "http://user:secret@127.0.0.1:1")!, timeout: 2, attempts: 3)
        let start = ContinuousClock.now
        guard case .failure(let error) = await fetch(source, "chain_getInfo", "{}") else {
            Issue.record("a call to port 1 succeeded")
            return
        }
        #expect(error.kind == .unavailable)
        #expect(error.message.contains("unreachable") && error.message.contains("3 attempts"), "\(error)")
        #expect(!error.message.contains("secret"))
        #expect(ContinuousClock.now - start < .seconds(10))
    }
}
