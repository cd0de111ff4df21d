import CPoseidonConstants

/// circomlib's Poseidon parameters over BN254 for one width t (DESIGN.md §3): x^5 S-box,
/// 8 full rounds, and 56…68 partial rounds by t. The constants are data generated from
/// circomlib's tables (scripts/gen-poseidon-constants.py) and live in static storage.
public struct PoseidonParameters: @unchecked Sendable {
    /// The state width t (inputs + 1).
    public let width: Int
    public let fullRounds = 8
    public let partialRounds: Int
    /// t constants per round, (fullRounds + partialRounds) rounds, in Montgomery form.
    package let roundConstants: UnsafeBufferPointer<Fr>
    /// The t×t MDS matrix, row-major.
    package let mds: UnsafeBufferPointer<Fr>

    /// The parameters for width 2...17.
    public static func circom(width: Int) throws(PoseidonError) -> PoseidonParameters {
        guard (2...17).contains(width) else { throw PoseidonError.invalidWidth(width) }
        return all[width - 2]
    }

    private static let all: [PoseidonParameters] = (2...17).map { PoseidonParameters(width: $0) }

    private init(width t: Int) {
        width = t
        partialRounds = Int(withUnsafePointer(to: prover_poseidon_partial_rounds) {
            UnsafeRawPointer($0).assumingMemoryBound(to: UInt32.self)[t]
        })
        func offsets(_ table: UnsafePointer<UInt32>) -> (Int, Int) { (Int(table[t]), Int(table[t + 1])) }
        let (rcStart, rcEnd) = withUnsafePointer(to: prover_poseidon_round_constant_offsets) {
            offsets(UnsafeRawPointer($0).assumingMemoryBound(to: UInt32.self))
        }
        let (mdsStart, mdsEnd) = withUnsafePointer(to: prover_poseidon_mds_offsets) {
            offsets(UnsafeRawPointer($0).assumingMemoryBound(to: UInt32.self))
        }
        // Fr is exactly four UInt64 limbs in Montgomery form, the tables' layout.
        let rcBase = UnsafeRawPointer(prover_poseidon_round_constants_address()).assumingMemoryBound(to: Fr.self)
        let mdsBase = UnsafeRawPointer(prover_poseidon_mds_address()).assumingMemoryBound(to: Fr.self)
        roundConstants = UnsafeBufferPointer(start: rcBase + rcStart, count: rcEnd - rcStart)
        mds = UnsafeBufferPointer(start: mdsBase + mdsStart, count: mdsEnd - mdsStart)
        precondition(roundConstants.count == t * (fullRounds + partialRounds) && mds.count == t * t)
    }
}
