import Foundation
import Logging
import ProverCore
import ProverService
import ServiceLifecycle
import Synchronization

/// Proves the chain's checkpoints in order and hands each verified proof back to the chain.
///
/// Every `checkpoint_poll_seconds`: ask the chain (`chain_getInfo`) for the next unproven
/// checkpoint, submit it (idempotent: the same task while it runs; its ClStf and EvmEeStf
/// dependencies follow), and once it completes, fetch its proof through the same verifying path
/// the API uses and submit it (`chain_submitCheckpointProof`). A chain outage or a refused
/// submission is logged and retried with backoff (up to 60 s); nothing is lost, because the
/// task and its proof stay in the store. A checkpoint whose task failed permanently is
/// reported and not resubmitted until an operator retries it.
struct CheckpointRunner: Service {
    let tasks: TaskRoutes
    let chain: ChainClient
    let poll: Duration
    let status: CheckpointRunnerStatus
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = poll
            while !Task.isCancelled {
                do {
                    let advanced = try await step()
                    backoff = poll
                    if advanced { continue }  // the next checkpoint may be ready at once
                } catch {
                    status.update { $0.lastError = "\(error)" }
                    logger.warning("checkpoint runner", metadata: ["error": "\(error)"])
                    backoff = min(backoff * 2, .seconds(60))
                }
                try? await Task.sleep(for: backoff)
            }
        }
    }

    /// One round; returns true when a proof was accepted by the chain.
    func step() async throws -> Bool {
        let info = try await chain.call("chain_getInfo", [:])
        guard let count = info["checkpoint_count"] as? Int, let proven = info["proven_checkpoint"] as? Int else {
            throw APIError(.sourceUnavailable, "chain_getInfo lacks checkpoint_count or proven_checkpoint")
        }
        status.update {
            $0.provenOnChain = proven
            $0.lastError = nil
        }
        let next = proven + 1
        guard next <= count else { return false }
        let record = try await tasks.submitTask(type: RPCMethods.checkpointProofType, context: Array("{\"index\":\(next)}".utf8))
        status.update { $0.current = (next, record.id.hex, record.state.rawValue) }
        switch record.state {
        case .completed:
            let stored = try tasks.verifiedProof(record)
            let outputs = stored.artifact.publicOutputs
            guard outputs.count >= 32, let commitment = try? Fr(littleEndianBytes: Array(outputs.suffix(32))) else {
                throw APIError(.internal, "checkpoint \(next): the proof has no commitment output")
            }
            let params: [String: Any] = [
                "index": next, "commitment": commitment.hexString, "proof": Data(stored.artifact.proof).base64EncodedString(),
            ]
            _ = try await chain.call("chain_submitCheckpointProof", params)
            logger.info("checkpoint proof accepted", metadata: ["index": "\(next)", "task": "\(record.id)"])
            status.update { $0.provenOnChain = next }
            return true
        case .failed, .cancelled:
            throw APIError(.internal, "checkpoint \(next): task \(record.id) is \(record.state.rawValue): \(record.lastError?.description ?? "")")
        default:
            return false
        }
    }

}

/// What the runner last did, for `/healthz`.
final class CheckpointRunnerStatus: Sendable {
    struct State {
        var provenOnChain = 0
        var current: (index: Int, task: String, state: String)?
        var lastError: String?
    }

    private let state = Mutex(State())

    func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    var json: [String: Any] {
        state.withLock { s in
            var out: [String: Any] = ["proven_on_chain": s.provenOnChain]
            if let c = s.current { out["current"] = ["index": c.index, "task": c.task, "state": c.state] }
            if let e = s.lastError { out["last_error"] = e }
            return out
        }
    }
}
