import Foundation
import ProverCore

extension Devnet {
    /// Serves the chain methods (see `ChainSource`).
    public func fetch(method: String, params: [UInt8]) throws(ChainError) -> [UInt8] {
        guard isAvailable else { throw ChainError(.unavailable, "the devnet is unavailable (simulated outage)") }
        func integer(_ key: String) throws(ChainError) -> Int {
            let object: [String: Int]
            do {
                object = try JSONDecoder().decode([String: Int].self, from: Data(params.isEmpty ? Array("{}".utf8) : params))
            } catch {
                throw ChainError(.invalidRequest, "\(method): params must be a JSON object of integers")
            }
            guard let n = object[key] else { throw ChainError(.invalidRequest, "\(method): missing \"\(key)\"") }
            guard n >= 0 else { throw ChainError(.invalidRequest, "\(method): \"\(key)\" must be non-negative") }
            return n
        }
        let result: [String: Any]
        switch method {
        case "chain_getInfo":
            result = [
                "exec_height": execHeight, "l2_height": l2Height, "checkpoint_count": checkpointCount, "seed": String(seed),
                "proven_checkpoint": provenCheckpoint,
            ]
        case "chain_submitCheckpointProof":
            // {"index": k, "commitment": "0x…", "proof": base64}
            guard let object = try? JSONSerialization.jsonObject(with: Data(params)) as? [String: Any],
                let index = object["index"] as? Int, let commitmentText = object["commitment"] as? String,
                let commitment = try? Fr(parsing: commitmentText), let proofText = object["proof"] as? String,
                let proof = Data(base64Encoded: proofText)
            else {
                throw ChainError(.invalidRequest, "\(method): params must be {\"index\", \"commitment\", \"proof\" (base64)}")
            }
            try acceptCheckpointProof(index: index, commitment: commitment, proof: [UInt8](proof))
            result = ["accepted": true, "proven_checkpoint": provenCheckpoint]
        case "chain_getExecBlock":
            let n = try integer("number")
            guard let b = execBlock(n) else { throw ChainError(.notFound, "execution block \(n) does not exist (height \(execHeight))") }
            result = ["number": b.number, "tx_root": b.txRoot.hexString, "state_root": b.stateRoot.hexString, "block_hash": b.blockHash.hexString]
        case "chain_getL2Block":
            let n = try integer("number")
            guard let b = l2Block(n) else { throw ChainError(.notFound, "L2 block \(n) does not exist (height \(l2Height))") }
            result = ["number": b.number, "exec_block": b.execBlock, "exec_hash": b.execHash.hexString, "l2_hash": b.l2Hash.hexString]
        case "chain_getCheckpoint":
            let k = try integer("index")
            guard let c = checkpoint(k) else {
                throw ChainError(.notFound, "checkpoint \(k) does not exist (checkpoints 1...\(checkpointCount))")
            }
            result = [
                "index": c.index, "l2_start": c.l2Start, "l2_end": c.l2End, "exec_start": c.execStart, "exec_end": c.execEnd,
                "prev_commitment": c.prevCommitment.hexString, "l2_end_hash": c.l2EndHash.hexString,
                "exec_accumulator": c.execAccumulator.hexString, "commitment": c.commitment.hexString,
            ]
        default:
            throw ChainError(.invalidRequest, "unknown method \(method)")
        }
        do {
            return Array(try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]))
        } catch {
            throw ChainError(.unavailable, "could not encode the result: \(error)")
        }
    }
}
