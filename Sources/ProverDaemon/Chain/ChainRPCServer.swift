public import Devnet
import Foundation
import Hummingbird
public import Logging
import ServiceLifecycle

/// Serves a chain source over HTTP JSON-RPC 2.0 (`prover devnet serve`): `POST /` (or
/// `/rpc`) with the chain methods, named params (an object; omitted or `[]` for none), single
/// calls or batches of up to 100. A `ChainError` becomes a JSON-RPC error with
/// `data.kind` = its kind (`not_found` −32004, `invalid_request` −32602, `unavailable` −32000);
/// an unknown method is −32601. `GET /healthz` answers `{"status": "ok"}`.
/// `JSONRPCChainSource` is the client of exactly this protocol.
public struct ChainRPCServer: Sendable {
    /// The methods served (`ChainSource`'s).
    public static let methods: Set<String> = [
        "chain_getInfo", "chain_getExecBlock", "chain_getL2Block", "chain_getCheckpoint", "chain_submitCheckpointProof",
    ]

    public let source: any ChainSource
    public let host: String
    public let port: Int
    public let logger: Logger
    /// Largest request body (a checkpoint proof in base64 rides in one).
    public var maxBodyBytes = 32 << 20

    public init(source: any ChainSource, host: String = "127.0.0.1", port: Int = 8545, logger: Logger = Logger(label: "prover.devnet")) {
        self.source = source
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// Serves until SIGTERM/SIGINT or cancellation; `onListening` receives the bound port.
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            let reply = answer(Data(buffer: buffer))
            guard let reply else { return Response(status: .noContent) }
            let data = try JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys, .withoutEscapingSlashes])
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.post("/", use: handler)
        router.post("rpc", use: handler)
        router.get("healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        let logger = self.logger
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "prover-devnet"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// The answer to a request body: a response object, an array for a batch, or nil when
    /// nothing is to be answered (notifications only).
    func answer(_ body: Data) -> Any? {
        guard let parsed = try? JSONSerialization.jsonObject(with: body) else {
            return Self.error(id: NSNull(), code: -32700, message: "the body is not JSON", kind: .invalidRequest)
        }
        guard let batch = parsed as? [Any] else { return call(parsed) }
        guard !batch.isEmpty, batch.count <= 100 else {
            return Self.error(id: NSNull(), code: -32600, message: "a batch holds 1…100 calls", kind: .invalidRequest)
        }
        let answers = batch.compactMap(call)
        return answers.isEmpty ? nil : answers
    }

    /// One call → its response, or nil for a notification (no `id`).
    func call(_ value: Any) -> Any? {
        guard let object = value as? [String: Any], object["jsonrpc"] as? String == "2.0", let method = object["method"] as? String else {
            return Self.error(id: (value as? [String: Any])?["id"] ?? NSNull(), code: -32600,
                              message: "expected {\"jsonrpc\": \"2.0\", \"method\", \"params\", \"id\"}", kind: .invalidRequest)
        }
        let id = object["id"]
        func reply(_ body: [String: Any]) -> Any? {
            guard let id else { return nil }
            return body.merging(["jsonrpc": "2.0", "id": id]) { a, _ in a }
        }
        guard Self.methods.contains(method) else {
            return reply(Self.error(id: id ?? NSNull(), code: -32601, message: "unknown method \(method.prefix(64))", kind: .invalidRequest))
        }
        let params: Data
        switch object["params"] {
        case nil, is NSNull:
            params = Data("{}".utf8)
        case let list as [Any] where list.isEmpty:
            params = Data("{}".utf8)
        case let named as [String: Any]:
            params = (try? JSONSerialization.data(withJSONObject: named)) ?? Data("{}".utf8)
        default:
            return reply(Self.error(id: id ?? NSNull(), code: -32602, message: "params must be an object", kind: .invalidRequest))
        }
        do {
            let bytes = try source.fetch(method: method, params: Array(params))
            let result = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            return reply(["result": result])
        } catch let error as ChainError {
            let code = switch error.kind {
            case .notFound: ChainRPCCodes.notFound
            case .invalidRequest: -32602
            case .unavailable: ChainRPCCodes.unavailable
            }
            return reply(Self.error(id: id ?? NSNull(), code: code, message: error.message, kind: error.kind))
        } catch {
            return reply(Self.error(id: id ?? NSNull(), code: ChainRPCCodes.unavailable, message: "\(error)", kind: .unavailable))
        }
    }

    static func error(id: Any, code: Int, message: String, kind: ChainError.Kind) -> [String: Any] {
        ["jsonrpc": "2.0", "id": id, "error": ["code": code, "message": message, "data": ["kind": kind.rawValue]]]
    }
}
