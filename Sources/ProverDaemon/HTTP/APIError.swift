public import Hummingbird
import Foundation

/// An API error with a stable code: the body is `{"code", "message", "retryable"}` (plus
/// `field` for validation errors), the status follows the code, and `Retry-After` is set when
/// waiting helps. Every error a route throws ends up as one of these (`APIErrorMiddleware`).
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// The stable codes (docs/api.md).
    public enum Code: String, Sendable, CaseIterable {
        case invalidInput = "invalid_input"
        case unauthorized
        case rateLimited = "rate_limited"
        case payloadTooLarge = "payload_too_large"
        case queueFull = "queue_full"
        case notFound = "not_found"
        case conflict
        case timeout
        case sourceUnavailable = "source_unavailable"
        case `internal`
    }

    public let code: Code
    public let message: String
    public let field: String?
    public let retryAfterSeconds: Int?

    public init(_ code: Code, _ message: String, field: String? = nil, retryAfterSeconds: Int? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var status: HTTPResponse.Status {
        switch code {
        case .invalidInput: .badRequest
        case .unauthorized: .unauthorized
        case .rateLimited: .tooManyRequests
        case .payloadTooLarge: .contentTooLarge
        case .queueFull, .sourceUnavailable: .serviceUnavailable
        case .notFound: .notFound
        case .conflict: .conflict
        case .timeout: .gatewayTimeout
        case .internal: .internalServerError
        }
    }

    /// Whether the same request may succeed later.
    public var retryable: Bool {
        switch code {
        case .rateLimited, .queueFull, .timeout, .sourceUnavailable, .internal: true
        default: false
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }

    struct Body: Encodable {
        let code: String
        let message: String
        let retryable: Bool
        let field: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(code: code.rawValue, message: message, retryable: retryable, field: field)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfterSeconds { headers[.retryAfter] = "\(retryAfterSeconds)" }
        if code == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        let data = try JSONEncoder.sorted.encode(body)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: stable output for clients and tests.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

/// Turns every error into a structured `APIError` response: Hummingbird's own errors keep
/// their status (mapped to a code), anything else becomes `internal` without leaking details.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPResponseError {
            switch error.status {
            case .notFound: throw APIError(.notFound, "no route for \(request.method) \(request.uri.path)")
            case .contentTooLarge: throw APIError(.payloadTooLarge, "the request body is too large")
            case .methodNotAllowed: throw APIError(.notFound, "\(request.method) is not allowed on \(request.uri.path)")
            case let status where (400..<500).contains(status.code): throw APIError(.invalidInput, "\(error)")
            default: throw APIError(.internal, "internal error")
            }
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)"])
            throw APIError(.internal, "internal error")
        }
    }
}
