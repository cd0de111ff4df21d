import Hummingbird

/// The body cap and the request time limit.
///
/// A declared `Content-Length` above the cap is refused with 413 before any byte of the body
/// is read; routes read bodies with `collect(upTo:)`, so a chunked body that grows past the cap
/// while streaming is refused too. A request that takes longer than the time limit is answered
/// with 504 `timeout` (the work it started, such as a submitted task, carries on).
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = DaemonRequestContext
    let maxBodyBytes: Int
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength] {
            guard let declared = Int(length), declared >= 0 else {
                throw APIError(.invalidInput, "Content-Length \"\(length.prefix(40))\" is not a number", field: "Content-Length")
            }
            guard declared <= maxBodyBytes else {
                throw APIError(.payloadTooLarge, "the body is \(declared) bytes, the limit is \(maxBodyBytes)")
            }
        }
        let timeout = self.timeout
        // `next` runs in a child task raced against a timer; the group waits for both children
        // before it returns, so `next` never outlives this call.
        return try await withoutActuallyEscaping(next) { next in
            let handler = UncheckedSendable(next)
            return try await withThrowingTaskGroup(of: Response?.self) { group in
                group.addTask { try await handler.value(request, context) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let response = first else {
                    throw APIError(.timeout, "the request took longer than \(timeout)")
                }
                return response
            }
        }
    }
}

/// Carries a value the compiler cannot prove Sendable into a child task that the caller
/// awaits before it returns.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
