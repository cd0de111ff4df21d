import Foundation
import Hummingbird
import ProverService

/// JSON-RPC 2.0 at `POST /rpc` with the reference prover-client's methods (docs/api.md,
/// "JSON-RPC"). Single calls and batches; notifications (no `id`) get no answer. Errors use
/// the JSON-RPC codes (−32700 parse, −32600 invalid request, −32601 unknown method, −32602
/// invalid params) and −32000 for server errors, with the API's stable code in `data.code`.
struct RPCRoutes: Sendable {
    let methods: RPCMethods
    let maxBodyBytes: Int

    func add(to router: Router<DaemonRequestContext>) {
        router.post("rpc") { request, _ in
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            let data = Data(buffer: buffer)
            let reply: Any?
            if let parsed = try? JSONSerialization.jsonObject(with: data) {
                if let batch = parsed as? [Any] {
                    if batch.isEmpty {
                        reply = RPCError.invalidRequest("empty batch").response(id: NSNull())
                    } else if batch.count > 100 {
                        reply = RPCError.invalidRequest("batches are limited to 100 calls").response(id: NSNull())
                    } else {
                        var answers: [Any] = []
                        for call in batch { if let a = await handle(call) { answers.append(a) } }
                        reply = answers.isEmpty ? nil : answers
                    }
                } else {
                    reply = await handle(parsed)
                }
            } else {
                reply = RPCError.parse("the body is not JSON").response(id: NSNull())
            }
            guard let reply else { return Response(status: .noContent) }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try TaskJSON.encode(reply))))
        }
    }

    /// One call → its response object, or nil for a notification.
    func handle(_ call: Any) async -> Any? {
        guard let object = call as? [String: Any], object["jsonrpc"] as? String == "2.0",
            let method = object["method"] as? String
        else {
            return RPCError.invalidRequest("expected {\"jsonrpc\": \"2.0\", \"method\": …, \"id\": …}").response(id: (call as? [String: Any])?["id"] ?? NSNull())
        }
        let id = object["id"]
        if let id, !(id is String || id is NSNumber || id is NSNull) {
            return RPCError.invalidRequest("id must be a string, a number or null").response(id: NSNull())
        }
        let params: [Any]
        switch object["params"] {
        case nil, is NSNull: params = []
        case let list as [Any]: params = list
        default: return id == nil ? nil : RPCError.invalidParams("params must be an array (positional)").response(id: id!)
        }
        do {
            let result = try await methods.call(method, params)
            return id == nil ? nil : ["jsonrpc": "2.0", "id": id!, "result": result]
        } catch let error as RPCError {
            return id == nil ? nil : error.response(id: id!)
        } catch let error as APIError {
            return id == nil ? nil : RPCError.server(error).response(id: id!)
        } catch {
            return id == nil ? nil : RPCError.server(APIError(.internal, "internal error")).response(id: id!)
        }
    }
}

/// A JSON-RPC error object; `data` carries the API's stable code.
struct RPCError: Error {
    struct Detail: Sendable {
        let code: String
        let retryable: Bool
        let field: String?
    }

    let code: Int
    let message: String
    let detail: Detail?

    static func parse(_ m: String) -> RPCError { RPCError(code: -32700, message: "Parse error: \(m)", detail: nil) }
    static func invalidRequest(_ m: String) -> RPCError { RPCError(code: -32600, message: "Invalid request: \(m)", detail: nil) }
    static func methodNotFound(_ m: String) -> RPCError { RPCError(code: -32601, message: "Method not found: \(m)", detail: nil) }
    static func invalidParams(_ m: String) -> RPCError {
        RPCError(code: -32602, message: "Invalid params: \(m)", detail: Detail(code: APIError.Code.invalidInput.rawValue, retryable: false, field: nil))
    }
    static func server(_ e: APIError) -> RPCError {
        RPCError(
            code: e.code == .invalidInput ? -32602 : -32000, message: e.message,
            detail: Detail(code: e.code.rawValue, retryable: e.retryable, field: e.field))
    }

    func response(id: Any) -> [String: Any] {
        var error: [String: Any] = ["code": code, "message": message]
        if let detail {
            var data: [String: Any] = ["code": detail.code, "retryable": detail.retryable]
            if let field = detail.field { data["field"] = field }
            error["data"] = data
        }
        return ["jsonrpc": "2.0", "id": id, "error": error]
    }
}
