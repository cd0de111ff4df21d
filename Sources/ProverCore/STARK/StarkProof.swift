/// A STARK proof: the commitments, out-of-domain values, FRI layers, remainder, grinding nonce
/// and query openings, in the order the prover produced them (docs/proof-format.md).
///
/// Decoding checks the structure only (magic, version, counts against the bytes left, field
/// elements below r, no trailing bytes); `StarkVerifier` then checks every count against the
/// shape the AIR and parameters imply before using it.
public struct StarkProof: Sendable, Equatable {
    /// Opened Merkle leaves: `leafCount` leaves of `leafWidth` values back to back (in
    /// increasing leaf order) and the multi-opening of those leaves.
    public struct Opening: Sendable, Equatable {
        public var leafWidth: Int
        public var values: [Fr]
        public var proof: MerkleMultiProof

        public init(leafWidth: Int, values: [Fr], proof: MerkleMultiProof) {
            self.leafWidth = leafWidth
            self.values = values
            self.proof = proof
        }

        /// Number of opened leaves.
        public var leafCount: Int { leafWidth == 0 ? 0 : values.count / leafWidth }
    }

    public var parameters: StarkParameters
    /// Merkle root over the trace LDE (one leaf per coset of F rows).
    public var traceRoot: Blake3.Digest
    /// Merkle root over the composition segments' LDE.
    public var compositionRoot: Blake3.Digest
    /// Trace columns at the out-of-domain point z and at z·ω.
    public var oodTraceCurrent: [Fr]
    public var oodTraceNext: [Fr]
    /// Composition segments at z.
    public var oodComposition: [Fr]
    /// Roots of FRI layers 1 ..< L.
    public var friRoots: [Blake3.Digest]
    /// Coefficients of the last FRI layer's polynomial, lowest degree first.
    public var remainder: [Fr]
    /// Proof-of-work nonce.
    public var nonce: UInt64
    public var traceOpening: Opening
    public var compositionOpening: Opening
    /// One opening per committed FRI layer.
    public var friOpenings: [Opening]

    public init(
        parameters: StarkParameters, traceRoot: Blake3.Digest, compositionRoot: Blake3.Digest, oodTraceCurrent: [Fr],
        oodTraceNext: [Fr], oodComposition: [Fr], friRoots: [Blake3.Digest], remainder: [Fr], nonce: UInt64,
        traceOpening: Opening, compositionOpening: Opening, friOpenings: [Opening]
    ) {
        self.parameters = parameters
        self.traceRoot = traceRoot
        self.compositionRoot = compositionRoot
        self.oodTraceCurrent = oodTraceCurrent
        self.oodTraceNext = oodTraceNext
        self.oodComposition = oodComposition
        self.friRoots = friRoots
        self.remainder = remainder
        self.nonce = nonce
        self.traceOpening = traceOpening
        self.compositionOpening = compositionOpening
        self.friOpenings = friOpenings
    }

    /// The magic bytes `STK1`.
    public static let magic: [UInt8] = Array("STK1".utf8)
    /// The proof encoding version this build writes and reads.
    public static let encodingVersion: UInt32 = 1
    /// Proofs longer than this are refused before they are read (64 MiB).
    public static let maxEncodedBytes = 64 << 20
}
