import Foundation
import Hummingbird
import ProverCore
import ProverService

/// The REST API under `/v1` (docs/api.md): submit, status, proof, receipt, cancel, retry,
/// list, verify, proof types.
struct TaskRoutes: Sendable {
    let service: ProverService
    let catalog: ProofTypeCatalog
    let configuration: DaemonConfiguration

    func add(to router: Router<DaemonRequestContext>) {
        let v1 = router.group("v1")
        v1.post("tasks") { request, context in try await submit(request, context) }
        v1.get("tasks") { request, _ in try list(request) }
        v1.get("tasks/:id") { _, context in try json(TaskJSON.task(record(context))) }
        v1.get("tasks/:id/proof") { _, context in try proof(context) }
        v1.get("tasks/:id/receipt") { _, context in try receipt(context) }
        v1.post("tasks/:id/cancel") { _, context in try cancel(context) }
        v1.post("tasks/:id/retry") { _, context in try await retry(context) }
        v1.post("verify") { request, context in try await verify(request, context) }
        v1.get("proof-types") { _, _ in
            try json(["proof_types": catalog.names.map { ["name": $0, "summary": catalog[$0]!.summary] }])
        }
    }

    // MARK: Submit

    func submit(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        let (body, data) = try await readObject(request, allowed: ["type", "context", "backend", "priority", "retry"])
        let fields = try decodeFields(SubmitFields.self, from: data)
        let type = fields.type
        guard !type.isEmpty else { throw APIError(.invalidInput, "type must be a non-empty string", field: "type") }
        guard let contextValue = body["context"] else { throw APIError(.invalidInput, "context is required", field: "context") }
        let priority = fields.priority ?? 0
        let record = try await submitTask(
            type: type, context: [UInt8](try TaskJSON.encode(contextValue)), backend: fields.backend ?? "cpu",
            priority: priority, retry: fields.retry ?? false)
        if record.state == .completed {
            var out = TaskJSON.task(record)
            out["receipt"] = try receiptObject(record)
            return try json(out, status: .ok)
        }
        return try json(TaskJSON.task(record), status: .accepted)
    }

    /// Submits one task (and its dependency graph) after checking the type and the queue bound.
    func submitTask(type: String, context: [UInt8], backend: String = "cpu", priority: Int = 0, retry: Bool = false) async throws -> TaskRecord {
        guard catalog[type] != nil else {
            throw APIError(.invalidInput, "unknown proof type \"\(type.prefix(64))\"; GET /v1/proof-types lists them", field: "type")
        }
        guard (-1000...1000).contains(priority) else { throw APIError(.invalidInput, "priority must be in -1000…1000", field: "priority") }
        let timeout = configuration.taskTimeoutSeconds.map { Duration.seconds($0) }
        try checkQueueDepth()
        return try await mapServiceErrors {
            try await service.submit(ProofRequest(proofType: type, context: context, backend: backend, priority: priority, timeout: timeout), retry: retry)
        }
    }

    private func checkQueueDepth() throws {
        let counts = try mapServiceErrors { try service.summary().counts }
        let depth = queueDepth(counts)
        guard depth < configuration.maxQueueDepth else {
            throw APIError(.queueFull, "\(depth) unfinished tasks, the limit is \(configuration.maxQueueDepth)", retryAfterSeconds: 5)
        }
    }

    // MARK: Reads

    func record(_ context: DaemonRequestContext) throws -> TaskRecord {
        let text = context.parameters.get("id") ?? ""
        guard let id = TaskID(text) else { throw APIError(.invalidInput, "task id must be 32 lowercase hex digits", field: "id") }
        return try mapServiceErrors { try service.status(id) }
    }

    func list(_ request: Request) throws -> Response {
        let q = request.uri.queryParameters
        var query = TaskQuery()
        if let states = q.get("state") {
            var set: Set<TaskState> = []
            for name in states.split(separator: ",") {
                guard let state = TaskState(rawValue: String(name)) else {
                    throw APIError(.invalidInput, "unknown state \"\(name.prefix(32))\"", field: "state")
                }
                set.insert(state)
            }
            query.states = set
        }
        query.proofType = q.get("type")
        query.backend = q.get("backend")
        if let limit = q.get("limit") {
            guard let n = Int(limit), (1...1000).contains(n) else { throw APIError(.invalidInput, "limit must be in 1…1000", field: "limit") }
            query.limit = n
        }
        query.cursor = q.get("cursor")
        let page = try mapServiceErrors { try service.list(query) }
        var out: [String: Any] = ["tasks": page.tasks.map(TaskJSON.task)]
        if let next = page.nextCursor { out["next_cursor"] = next }
        return try json(out)
    }

    /// The stored proof, checked by its proof type's verifier before it is returned.
    func verifiedProof(_ record: TaskRecord) throws -> StoredProof {
        guard record.state == .completed else {
            throw APIError(.conflict, "task \(record.id) is \(record.state.rawValue), not completed")
        }
        guard let stored = try mapServiceErrors({ try service.proof(record.id) }) else {
            throw APIError(.notFound, "no proof stored for task \(record.id)")
        }
        guard let type = catalog[record.proofType] else {
            throw APIError(.internal, "proof type \(record.proofType) is not loaded; the proof cannot be verified")
        }
        do {
            try type.verify(canonicalContext: record.context, artifact: stored.artifact)
        } catch {
            throw APIError(.internal, "the stored proof does not verify: \(error)")
        }
        return stored
    }

    func proof(_ context: DaemonRequestContext) throws -> Response {
        let stored = try verifiedProof(try record(context))
        return Response(
            status: .ok, headers: [.contentType: "application/octet-stream"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.artifact.proof)))
    }

    /// The receipt of a completed task; `stored` when the caller already holds its verified proof.
    func receiptObject(_ record: TaskRecord, stored: StoredProof? = nil) throws -> [String: Any] {
        let stored = try stored ?? verifiedProof(record)
        return [
            "id": record.id.hex, "type": record.proofType, "verified": true,
            "public_outputs": TaskJSON.jsonOrHex(stored.artifact.publicOutputs),
            "proof_bytes": stored.artifact.proof.count, "proof_blake3": Blake3.hash(stored.artifact.proof).hex,
            "metadata": stored.artifact.metadata,
        ]
    }

    func receipt(_ context: DaemonRequestContext) throws -> Response { try json(receiptObject(try record(context))) }

    // MARK: Changes

    func cancel(_ context: DaemonRequestContext) throws -> Response {
        let r = try record(context)
        return try json(TaskJSON.task(try mapServiceErrors { try service.cancel(r.id) }))
    }

    func retry(_ context: DaemonRequestContext) async throws -> Response {
        let r = try record(context)
        guard r.state == .failed || r.state == .cancelled else {
            throw APIError(.conflict, "task \(r.id) is \(r.state.rawValue); only failed or cancelled tasks can be retried")
        }
        try checkQueueDepth()
        let again = try await mapServiceErrors {
            try await service.submit(
                ProofRequest(proofType: r.proofType, context: r.context, backend: r.backend, priority: r.priority), retry: true)
        }
        return try json(TaskJSON.task(again), status: .accepted)
    }

    /// Verifies an uploaded proof: {"type", "context", "proof": base64, "public_outputs": JSON}.
    func verify(_ request: Request, _ context: DaemonRequestContext) async throws -> Response {
        let (body, _) = try await readObject(request, allowed: ["type", "context", "proof", "public_outputs"])
        guard let name = body["type"] as? String, let type = catalog[name] else {
            throw APIError(.invalidInput, "type must name a loaded proof type", field: "type")
        }
        guard let contextValue = body["context"] else { throw APIError(.invalidInput, "context is required", field: "context") }
        guard let proofText = body["proof"] as? String, let proof = Data(base64Encoded: proofText) else {
            throw APIError(.invalidInput, "proof must be base64", field: "proof")
        }
        let canonical: [UInt8]
        do {
            canonical = try type.handler.canonicalize([UInt8](try TaskJSON.encode(contextValue)))
        } catch {
            throw APIError(.invalidInput, "invalid context: \(error)", field: "context")
        }
        let outputs = try body["public_outputs"].map { [UInt8](try TaskJSON.encode($0)) } ?? []
        do {
            try type.verify(canonicalContext: canonical, artifact: ProofArtifact(proof: [UInt8](proof), publicOutputs: outputs))
            return try json(["valid": true])
        } catch {
            return try json(["valid": false, "reason": "\(error)"])
        }
    }

    // MARK: Helpers

    /// Reads a JSON object body (within the body cap) and refuses unknown keys.
    func readObject(_ request: Request, allowed: Set<String>) async throws -> ([String: Any], Data) {
        let buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        let data = Data(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw APIError(.invalidInput, "the body must be a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError(.invalidInput, "unknown field \"\(unknown.prefix(64))\"", field: unknown)
        }
        return (object, data)
    }

    struct SubmitFields: Decodable {
        var type: String
        var backend: String?
        var priority: Int?
        var retry: Bool?
    }

    /// Strictly typed fields, with the offending field named on a type mismatch.
    func decodeFields<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c) {
            let field = c.codingPath.map(\.stringValue).joined(separator: ".")
            throw APIError(.invalidInput, "\(field) has the wrong type", field: field)
        } catch DecodingError.keyNotFound(let key, _) {
            throw APIError(.invalidInput, "\(key.stringValue) is required", field: key.stringValue)
        } catch {
            throw APIError(.invalidInput, "the body is not valid JSON")
        }
    }

    func json(_ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try TaskJSON.encode(object))))
    }
}

/// Unfinished tasks not yet proving (pending, waiting, queued, retrying): what
/// `max_queue_depth` bounds and `/healthz` reports.
func queueDepth(_ counts: [TaskState: Int]) -> Int {
    [TaskState.pending, .waiting, .queued, .retrying].reduce(0) { $0 + (counts[$1] ?? 0) }
}

/// Maps ProverService errors to API errors.
func mapServiceErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ProverServiceError {
        throw apiError(for: error)
    }
}

func mapServiceErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ProverServiceError {
        throw apiError(for: error)
    }
}

func apiError(for error: ProverServiceError) -> APIError {
    switch error {
    case .unknownProofType: APIError(.invalidInput, "\(error)", field: "type")
    case .invalidContext: APIError(.invalidInput, "\(error)", field: "context")
    case .unsupportedBackend: APIError(.invalidInput, "\(error)", field: "backend")
    case .dependencyCycle: APIError(.invalidInput, "\(error)", field: "context")
    case .unknownTask: APIError(.notFound, "\(error)")
    case .invalidCursor: APIError(.invalidInput, "\(error)", field: "cursor")
    case .shuttingDown: APIError(.queueFull, "the server is shutting down", retryAfterSeconds: 5)
    default: APIError(.internal, error.codeString)
    }
}
