import Foundation
import ProverCore
import Synchronization

/// A deterministic chain generated from a seed (DESIGN.md §5), the embedded chain source.
///
/// - Execution blocks n = 1...: txRoot_n = Poseidon(seed, n, 1);
///   stateRoot_n = Poseidon(stateRoot_{n-1}, txRoot_n); blockHash_n = Poseidon(blockHash_{n-1}, stateRoot_n, txRoot_n);
///   genesis stateRoot_0 = Poseidon(seed, 0, 2), blockHash_0 = Poseidon(seed, 0, 3), txRoot_0 = 0.
/// - L2 blocks s = 1...: block s references execution block s + `execOffset`;
///   l2Hash_s = Poseidon(l2Hash_{s-1}, execHash_s, s); genesis l2Hash_0 = Poseidon(seed, 0, 4).
/// - Checkpoints k = 1...: contiguous L2 ranges of 1 + (Poseidon(seed, k, 6) mod 3) blocks;
///   commitment_k = Poseidon(commitment_{k-1}, l2Hash_{end}, execAccumulator); commitment_0 = Poseidon(seed, 0, 5).
/// - The accumulator over a sequence of hashes h_1...h_m is acc_0 = 0, acc_i = β·acc_{i-1} + h_i
///   with β = `ChainModel.accumulatorBase`; EvmEeStf exposes it over its block hashes and ClStf
///   over the execution hashes its L2 blocks reference, so the two must agree.
///
/// Thread-safe. `alterExecBlock` rewrites history (for tests of stale dependencies).
public final class Devnet: ChainSource {
    public struct ExecBlock: Sendable, Hashable {
        public let number: Int
        public let txRoot: Fr
        public let stateRoot: Fr
        public let blockHash: Fr
    }

    public struct L2Block: Sendable, Hashable {
        public let number: Int
        public let execBlock: Int
        public let execHash: Fr
        public let l2Hash: Fr
    }

    public struct Checkpoint: Sendable, Hashable {
        public let index: Int
        public let l2Start: Int
        public let l2End: Int
        public let execStart: Int
        public let execEnd: Int
        public let prevCommitment: Fr
        public let l2EndHash: Fr
        public let execAccumulator: Fr
        public let commitment: Fr
    }

    /// L2 block s references execution block s + execOffset.
    public static let execOffset = 2

    public let seed: UInt64
    public let checkpointCount: Int

    private struct State {
        var txOverrides: [Int: Fr] = [:]
        var exec: [ExecBlock] = []
        var l2: [L2Block] = []
        var checkpoints: [Checkpoint] = []   // index 0 is a placeholder for genesis
    }

    private let state: Mutex<State>

    /// Checkpoint proofs handed back by a prover, and whether the chain answers at all.
    private struct Settlement {
        var accepted: [Int: Blake3.Digest] = [:]
        var available = true
    }

    private let settlement = Mutex(Settlement())

    /// A chain with `checkpoints` checkpoints (and as many L2 and execution blocks as they cover).
    public init(seed: UInt64, checkpoints: Int = 4) {
        precondition(checkpoints >= 1 && checkpoints <= 4096, "checkpoints must be in 1...4096")
        self.seed = seed
        self.checkpointCount = checkpoints
        state = Mutex(Self.generate(seed: seed, checkpoints: checkpoints, overrides: [:]))
    }

    /// Replaces the transaction root of execution block `number` (≥ 1) and recomputes everything
    /// after it, as a reorganized chain would. For tests of stale dependency proofs.
    public func alterExecBlock(_ number: Int, txRoot: Fr) {
        state.withLock { s in
            precondition(number >= 1 && number < s.exec.count, "no execution block \(number)")
            var overrides = s.txOverrides
            overrides[number] = txRoot
            s = Self.generate(seed: seed, checkpoints: checkpointCount, overrides: overrides)
        }
    }

    /// Simulates an outage (false: every `fetch` throws `unavailable`) and its end.
    public func setAvailable(_ available: Bool) { settlement.withLock { $0.available = available } }

    public var isAvailable: Bool { settlement.withLock { $0.available } }

    /// The highest checkpoint k such that proofs of 1...k have been accepted.
    public var provenCheckpoint: Int { settlement.withLock { s in (0...).first { s.accepted[$0 + 1] == nil }! } }

    /// Accepts the proof of the next unproven checkpoint: `index` must be `provenCheckpoint + 1`
    /// and `commitment` that checkpoint's commitment (the chain checks the claim, the prover's
    /// verifier checked the proof). Records the proof's BLAKE3 digest.
    public func acceptCheckpointProof(index: Int, commitment: Fr, proof: [UInt8]) throws(ChainError) {
        guard let c = checkpoint(index) else { throw ChainError(.notFound, "checkpoint \(index) does not exist") }
        let next = provenCheckpoint + 1
        guard index == next else { throw ChainError(.invalidRequest, "the next checkpoint to prove is \(next), not \(index)") }
        guard c.commitment == commitment else {
            throw ChainError(.invalidRequest, "checkpoint \(index): the proven commitment is not the chain's")
        }
        guard !proof.isEmpty else { throw ChainError(.invalidRequest, "checkpoint \(index): empty proof") }
        settlement.withLock { $0.accepted[index] = Blake3.hash(proof) }
    }

    /// The digest of the accepted proof of checkpoint `index`, if any.
    public func acceptedProofDigest(_ index: Int) -> Blake3.Digest? { settlement.withLock { $0.accepted[index] } }

    public var execHeight: Int { state.withLock { $0.exec.count - 1 } }
    public var l2Height: Int { state.withLock { $0.l2.count - 1 } }

    /// Execution block 0...execHeight.
    public func execBlock(_ n: Int) -> ExecBlock? { state.withLock { s in s.exec.indices.contains(n) ? s.exec[n] : nil } }
    /// L2 block 0...l2Height.
    public func l2Block(_ s: Int) -> L2Block? { state.withLock { st in st.l2.indices.contains(s) ? st.l2[s] : nil } }
    /// Checkpoint 1...checkpointCount.
    public func checkpoint(_ k: Int) -> Checkpoint? {
        state.withLock { s in (1..<s.checkpoints.count).contains(k) ? s.checkpoints[k] : nil }
    }

    private static func generate(seed: UInt64, checkpoints: Int, overrides: [Int: Fr]) -> State {
        let seedFr = Fr(seed)
        func tag(_ i: Int, _ t: UInt64) -> Fr { Poseidon.hash(seedFr, Fr(UInt64(i)), Fr(t)) }
        var lengths: [Int] = []
        for k in 1...checkpoints {
            lengths.append(1 + Int(tag(k, 6).canonicalLimbs.0 % 3))
        }
        let l2Height = lengths.reduce(0, +)
        let execHeight = l2Height + execOffset
        var s = State()
        s.txOverrides = overrides
        s.exec.reserveCapacity(execHeight + 1)
        s.exec.append(ExecBlock(number: 0, txRoot: .zero, stateRoot: tag(0, 2), blockHash: tag(0, 3)))
        for n in 1...execHeight {
            let prev = s.exec[n - 1]
            let tx = overrides[n] ?? tag(n, 1)
            let sr = Poseidon.hash(prev.stateRoot, tx)
            let bh = Poseidon.hash(prev.blockHash, sr, tx)
            s.exec.append(ExecBlock(number: n, txRoot: tx, stateRoot: sr, blockHash: bh))
        }
        s.l2.append(L2Block(number: 0, execBlock: execOffset, execHash: s.exec[execOffset].blockHash, l2Hash: tag(0, 4)))
        for n in 1...l2Height {
            let e = n + execOffset
            let eh = s.exec[e].blockHash
            s.l2.append(L2Block(number: n, execBlock: e, execHash: eh, l2Hash: Poseidon.hash(s.l2[n - 1].l2Hash, eh, Fr(UInt64(n)))))
        }
        let genesis = tag(0, 5)
        s.checkpoints.append(Checkpoint(
            index: 0, l2Start: 0, l2End: 0, execStart: 0, execEnd: 0, prevCommitment: .zero, l2EndHash: s.l2[0].l2Hash,
            execAccumulator: .zero, commitment: genesis))
        var start = 1
        for (i, length) in lengths.enumerated() {
            let end = start + length - 1
            let acc = ChainModel.accumulate(s.l2[start...end].map(\.execHash))
            let prev = s.checkpoints[i].commitment
            let l2End = s.l2[end].l2Hash
            s.checkpoints.append(Checkpoint(
                index: i + 1, l2Start: start, l2End: end, execStart: start + execOffset, execEnd: end + execOffset,
                prevCommitment: prev, l2EndHash: l2End, execAccumulator: acc,
                commitment: Poseidon.hash(prev, l2End, acc)))
            start = end + 1
        }
        return s
    }
}

/// The chain model's shared definitions.
public enum ChainModel {
    /// β of the accumulator acc_i = β·acc_{i-1} + h_i (a fixed public constant).
    public static let accumulatorBase = Fr(982_451_653)

    /// The accumulator over `hashes`, starting from 0.
    public static func accumulate(_ hashes: some Sequence<Fr>) -> Fr {
        hashes.reduce(Fr.zero) { accumulatorBase * $0 + $1 }
    }
}
