import Foundation
import Synchronization

/// Drives a bounded number of HTTP requests at a loopback server over several keep-alive
/// connections, one thread each, and records every request's latency.
public enum HTTPLoad {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var body: [UInt8]
        public var headers: [String]

        public init(method: String, path: String, body: [UInt8] = [], headers: [String] = []) {
            self.method = method
            self.path = path
            self.body = body
            self.headers = headers
        }
    }

    public struct Result: Sendable {
        /// Requests answered with the expected status.
        public var succeeded: Int
        /// Requests answered otherwise, with one example.
        public var failed: Int
        public var firstFailure: String?
        public var wallSeconds: Double
        /// Latency of every request, in seconds, sorted.
        public var latencies: [Double]

        public var requestsPerSecond: Double { Double(succeeded + failed) / wallSeconds }

        /// The q-quantile (0…1) of the latencies, in milliseconds.
        public func quantileMilliseconds(_ q: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let index = min(latencies.count - 1, Int((Double(latencies.count) * q).rounded(.up)) - 1)
            return latencies[max(0, index)] * 1000
        }
    }

    /// Sends `count` requests, `request(i)` for i in 0..<count, over `connections` connections.
    /// A connection that fails is reopened; a request that cannot be sent counts as failed.
    public static func run(
        port: Int, connections: Int, count: Int, expecting expected: Set<Int>,
        request: @escaping @Sendable (Int) -> Request
    ) -> Result {
        let next = Atomic<Int>(0)
        let results = Mutex<[(ok: Int, failed: Int, failure: String?, latencies: [Double])]>([])
        let done = DispatchGroup()
        let start = ContinuousClock.now
        let threads = (0..<max(1, connections)).map { _ in
            Thread {
                defer { done.leave() }
                var ok = 0, failed = 0
                var failure: String?
                var latencies: [Double] = []
                latencies.reserveCapacity(count / max(1, connections) + 1)
                var client = try? LoopbackHTTPClient(port: port)
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < count else { break }
                    let r = request(i)
                    let t0 = ContinuousClock.now
                    do {
                        guard let connection = client else { throw LoopbackHTTPClient.Failure(description: "not connected") }
                        let response = try connection.send(r.method, r.path, body: r.body, headers: r.headers)
                        if expected.contains(response.status) {
                            ok += 1
                        } else {
                            failed += 1
                            failure = failure ?? "\(r.method) \(r.path): HTTP \(response.status) \(String(decoding: response.body.prefix(200), as: UTF8.self))"
                        }
                    } catch {
                        failed += 1
                        failure = failure ?? "\(r.method) \(r.path): \(error)"
                        client = try? LoopbackHTTPClient(port: port)
                    }
                    latencies.append((ContinuousClock.now - t0) / .seconds(1))
                }
                results.withLock { $0.append((ok, failed, failure, latencies)) }
            }
        }
        for thread in threads {
            done.enter()
            thread.start()
        }
        done.wait()
        let wall = (ContinuousClock.now - start) / .seconds(1)
        return results.withLock { parts in
            Result(
                succeeded: parts.reduce(0) { $0 + $1.ok }, failed: parts.reduce(0) { $0 + $1.failed },
                firstFailure: parts.compactMap(\.failure).first, wallSeconds: wall,
                latencies: parts.flatMap(\.latencies).sorted())
        }
    }
}
