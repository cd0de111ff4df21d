import Foundation

/// Calls the chain source's JSON methods (`chain_getInfo`, `chain_getCheckpoint`,
/// `chain_submitCheckpointProof`) for the JSON-RPC methods and the checkpoint runner. Every
/// failure — the source down, a refusal, an answer that is not a JSON object — becomes
/// `source_unavailable` naming the method.
struct ChainClient: Sendable {
    let send: @Sendable (String, [UInt8]) throws -> [UInt8]

    func call(_ method: String, _ params: [String: Any]) throws -> [String: Any] {
        do {
            let bytes = try send(method, [UInt8](try TaskJSON.encode(params)))
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
