import Foundation
import ProverService

/// JSON shapes of the API (docs/api.md), built as dictionaries so contexts and public outputs
/// that are JSON appear as JSON.
enum TaskJSON {
    static let dateFormat: Date.ISO8601FormatStyle = .iso8601

    static func task(_ r: TaskRecord) -> [String: Any] {
        var out: [String: Any] = [
            "id": r.id.hex, "type": r.proofType, "backend": r.backend, "state": r.state.rawValue,
            "priority": r.priority, "attempt": r.attempt, "dependencies": r.dependencies.map(\.hex),
            "created_at": r.createdAt.formatted(dateFormat), "updated_at": r.updatedAt.formatted(dateFormat),
            "context": jsonOrHex(r.context),
        ]
        if let next = r.nextRunAt { out["next_run_at"] = next.formatted(dateFormat) }
        if let e = r.lastError { out["error"] = ["code": e.code, "message": e.message, "transient": e.isTransient] }
        return out
    }

    /// Bytes that parse as JSON are embedded as JSON; anything else as {"hex": "…"}.
    static func jsonOrHex(_ bytes: [UInt8]) -> Any {
        if let value = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) { return value }
        return ["hex": bytes.map { String(format: "%02x", $0) }.joined()]
    }

    static func encode(_ object: Any) throws -> Data {
        try JSONText.encode(object)
    }
}
