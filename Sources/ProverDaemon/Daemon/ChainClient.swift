import Foundation

/// Calls the chain source's JSON methods (`chain_getInfo`, `chain_getCheckpoint`,
/// `chain_submitCheckpointProof`) for the JSON-RPC methods and the checkpoint runner. Every
/// failure — the source down, a refusal, an answer that is not a JSON object — becomes
/// `source_unavailable` naming the method.
struct ChainClient: Sendable {
    let send: @Sendable (String, [UInt8]) throws -> [UInt8]

    /// Calls `method` on a dispatch thread, never on the caller's: a remote source blocks for
    /// up to its time limit, which must not stall the cooperative pool or an event loop.
    func call(_ method: String, _ params: [String: Any]) async throws -> [String: Any] {
        let body = try TaskJSON.encode(params)
        let bytes: [UInt8] = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try send(method, [UInt8](body)))
                } catch {
                    continuation.resume(throwing: APIError(.sourceUnavailable, "\(method): \(error)", retryAfterSeconds: 5))
                }
            }
        }
        return try Self.object(method, bytes)
    }

    private static func object(_ method: String, _ bytes: [UInt8]) throws -> [String: Any] {
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw APIError(.sourceUnavailable, "the chain source answered \(method) with something that is not an object")
            }
            return object
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.sourceUnavailable, "\(method): \(error)", retryAfterSeconds: 5)
        }
    }
}
