import Foundation
import ProverService

/// The reference prover-client methods over this daemon's tasks. Parameter shapes follow the
/// reference (positional; a range is a two-element array):
///
/// | method | params | result |
/// |---|---|---|
/// | `dev_strata_proveElBlocks` | `[[start, end]]` | task ids (the EvmEeStf task) |
/// | `dev_strata_proveClBlocks` | `[[start, end]]` | task ids (ClStf, then its dependencies) |
/// | `dev_strata_proveCheckpoint` | `[index]` | task ids (Checkpoint, then its dependencies) |
/// | `dev_strata_proveCheckpointRaw` | `[index, [execStart, execEnd], [l2Start, l2End]]` | as above, after checking both ranges against the chain's checkpoint |
/// | `dev_strata_proveLatestCheckPoint` | `[]` | as above for the chain's latest checkpoint |
/// | `dev_strata_getTaskStatus` | `[id]` | the state name |
/// | `dev_strata_getProof` | `[id]` | the receipt with the proof in base64, or null while unfinished |
/// | `dev_strata_getReport` | `[]` | task counts by state |
struct RPCMethods: Sendable {
    let tasks: TaskRoutes
    /// The chain source, if any.
    let chain: ChainClient?

    static let evmProofType = "evm-ee-stf"
    static let clProofType = "cl-stf"
    static let checkpointProofType = "checkpoint"

    func call(_ method: String, _ params: [Any]) async throws -> Any {
        switch method {
        case "dev_strata_proveElBlocks":
            let (a, b) = try range(params, at: 0, count: 1)
            return try await prove(Self.evmProofType, ["start": a, "end": b])
        case "dev_strata_proveClBlocks":
            let (a, b) = try range(params, at: 0, count: 1)
            return try await prove(Self.clProofType, ["start": a, "end": b])
        case "dev_strata_proveCheckpoint":
            return try await prove(Self.checkpointProofType, ["index": try integer(params, at: 0, count: 1)])
        case "dev_strata_proveCheckpointRaw":
            let index = try integer(params, at: 0, count: 3)
            let exec = try range(params, at: 1, count: 3), l2 = try range(params, at: 2, count: 3)
            let checkpoint = try await chainObject("chain_getCheckpoint", ["index": index])
            guard checkpoint["exec_start"] as? Int == exec.0, checkpoint["exec_end"] as? Int == exec.1 else {
                throw RPCError.invalidParams("execution range \(exec) is not checkpoint \(index)'s")
            }
            guard checkpoint["l2_start"] as? Int == l2.0, checkpoint["l2_end"] as? Int == l2.1 else {
                throw RPCError.invalidParams("L2 range \(l2) is not checkpoint \(index)'s")
            }
            return try await prove(Self.checkpointProofType, ["index": index])
        case "dev_strata_proveLatestCheckPoint":
            guard params.isEmpty else { throw RPCError.invalidParams("takes no parameters") }
            guard let latest = try await chainObject("chain_getInfo", [:])["checkpoint_count"] as? Int, latest >= 1 else {
                throw APIError(.sourceUnavailable, "the chain has no checkpoint yet", retryAfterSeconds: 5)
            }
            return try await prove(Self.checkpointProofType, ["index": latest])
        case "dev_strata_getTaskStatus":
            return try record(params).state.rawValue
        case "dev_strata_getProof":
            let r = try record(params)
            guard r.state == .completed else { return NSNull() }
            let stored = try tasks.verifiedProof(r)  // verified once, used twice
            var receipt = try tasks.receiptObject(r, stored: stored)
            receipt["proof"] = Data(stored.artifact.proof).base64EncodedString()
            return receipt
        case "dev_strata_getReport":
            guard params.isEmpty else { throw RPCError.invalidParams("takes no parameters") }
            let counts = try mapServiceErrors { try tasks.service.summary().counts }
            return Dictionary(uniqueKeysWithValues: TaskState.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        default:
            throw RPCError.methodNotFound(String(method.prefix(64)))
        }
    }

    private func prove(_ type: String, _ context: [String: Int]) async throws -> [String] {
        let record = try await tasks.submitTask(type: type, context: [UInt8](try TaskJSON.encode(context)))
        return [record.id.hex] + record.dependencies.map(\.hex)
    }

    private func record(_ params: [Any]) throws -> TaskRecord {
        guard params.count == 1, let text = params[0] as? String, let id = TaskID(text) else {
            throw RPCError.invalidParams("expected [task id] (32 lowercase hex digits)")
        }
        return try mapServiceErrors { try tasks.service.status(id) }
    }

    private func integer(_ params: [Any], at i: Int, count: Int) throws -> Int {
        guard params.count == count else { throw RPCError.invalidParams("expected \(count) parameter(s), got \(params.count)") }
        guard let n = Self.integer(params[i]), n >= 0 else { throw RPCError.invalidParams("parameter \(i) must be a non-negative integer") }
        return n
    }

    private func range(_ params: [Any], at i: Int, count: Int) throws -> (Int, Int) {
        guard params.count == count else { throw RPCError.invalidParams("expected \(count) parameter(s), got \(params.count)") }
        guard let pair = params[i] as? [Any], pair.count == 2, let a = Self.integer(pair[0]), let b = Self.integer(pair[1]),
            a >= 1, a <= b
        else {
            throw RPCError.invalidParams("parameter \(i) must be a range [start, end] with 1 ≤ start ≤ end")
        }
        return (a, b)
    }

    /// A JSON integer (not a bool, not a fraction).
    static func integer(_ value: Any) -> Int? {
        // JSONSerialization gives NSNumbers, and an NSNumber 1 also bridges to Bool: tell
        // booleans apart by their storage type ("c"/"B"), fractions by rounding.
        guard let n = value as? NSNumber else { return nil }
        let storage = String(cString: n.objCType)
        guard storage != "c", storage != "B" else { return nil }
        let d = n.doubleValue
        guard d == d.rounded(), abs(d) < 9e15 else { return nil }
        return n.intValue
    }

    private func chainObject(_ method: String, _ params: [String: Int]) async throws -> [String: Any] {
        guard let chain else { throw APIError(.sourceUnavailable, "no chain source is configured") }
        return try await chain.call(method, params)
    }
}
