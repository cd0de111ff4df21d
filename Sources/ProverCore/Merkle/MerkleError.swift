/// An error from building, opening or verifying a Merkle commitment: a struct over a private
/// enum with stable codes, and a detail naming the offending value.
public struct MerkleError: CodedError {
    private enum Kind: String, Hashable, Sendable {
        case invalidLeafCount = "invalid_leaf_count"
        case invalidRowWidth = "invalid_row_width"
        case indexOutOfRange = "index_out_of_range"
        case indicesNotIncreasing = "indices_not_increasing"
        case noIndices = "no_indices"
        case proofTooShort = "proof_too_short"
        case proofTooLong = "proof_too_long"
        case malformedProof = "malformed_proof"
        case rootMismatch = "root_mismatch"
    }

    private let kind: Kind
    public let detail: String

    private init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    public var code: String { kind.rawValue }

    /// The leaf count is not a power of two in 1...2^32.
    public static let invalidLeafCount = MerkleError(.invalidLeafCount)
    /// Rows are empty or the data is not a whole number of rows.
    public static let invalidRowWidth = MerkleError(.invalidRowWidth)
    /// An index is not below the leaf count.
    public static let indexOutOfRange = MerkleError(.indexOutOfRange)
    /// Opened indices must be strictly increasing (sorted, no duplicates).
    public static let indicesNotIncreasing = MerkleError(.indicesNotIncreasing)
    /// An opening must name at least one leaf.
    public static let noIndices = MerkleError(.noIndices)
    /// The proof has fewer sibling digests than the indices need.
    public static let proofTooShort = MerkleError(.proofTooShort)
    /// The proof has more sibling digests than the indices need.
    public static let proofTooLong = MerkleError(.proofTooLong)
    /// The proof's byte encoding is malformed.
    public static let malformedProof = MerkleError(.malformedProof)
    /// The recomputed root differs from the commitment.
    public static let rootMismatch = MerkleError(.rootMismatch)

    static func invalidLeafCount(_ detail: String) -> MerkleError { MerkleError(.invalidLeafCount, detail) }
    static func invalidRowWidth(_ detail: String) -> MerkleError { MerkleError(.invalidRowWidth, detail) }
    static func indexOutOfRange(_ detail: String) -> MerkleError { MerkleError(.indexOutOfRange, detail) }
    static func indicesNotIncreasing(_ detail: String) -> MerkleError { MerkleError(.indicesNotIncreasing, detail) }
    static func proofTooShort(_ detail: String) -> MerkleError { MerkleError(.proofTooShort, detail) }
    static func proofTooLong(_ detail: String) -> MerkleError { MerkleError(.proofTooLong, detail) }
    static func malformedProof(_ detail: String) -> MerkleError { MerkleError(.malformedProof, detail) }
}
