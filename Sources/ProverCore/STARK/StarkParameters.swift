/// The knobs of the STARK protocol (docs/stark.md, "Parameters and security").
///
/// The prover writes them into the proof and binds them into the Fiat–Shamir transcript; the
/// verifier rejects a proof whose parameters differ from the ones it expects.
public struct StarkParameters: Hashable, Sendable, CustomStringConvertible {
    /// LDE blowup factor B (a power of two, 2...256); the FRI code rate is 1/B.
    public var blowup: Int
    /// Number of FRI queries (1...1024); each opens one coset of `foldingFactor` LDE points.
    public var queries: Int
    /// Proof-of-work bits the prover grinds before the queries are drawn (0...40).
    public var grindingBits: Int
    /// FRI folding factor (2, 4, 8 or 16): each layer shrinks the domain by this much.
    public var foldingFactor: Int
    /// FRI stops folding once the polynomial has at most this many coefficients (a power of
    /// two, 1...4096) and sends them in the clear.
    public var remainderSize: Int

    public init(blowup: Int, queries: Int, grindingBits: Int, foldingFactor: Int, remainderSize: Int) {
        self.blowup = blowup
        self.queries = queries
        self.grindingBits = grindingBits
        self.foldingFactor = foldingFactor
        self.remainderSize = remainderSize
    }

    /// The default profile: blowup 8, 30 queries, 12 grinding bits, folding by 4 down to at
    /// most 64 coefficients: 3·30 + 12 = 102 bits of conjectured security.
    public static let `default` = StarkParameters(blowup: 8, queries: 30, grindingBits: 12, foldingFactor: 4, remainderSize: 64)

    /// A fast profile for tests and examples: 4 queries, no grinding, about 12 bits.
    /// **Insecure**: a cheating prover succeeds with probability about 2^-12.
    public static let testInsecure = StarkParameters(blowup: 8, queries: 4, grindingBits: 0, foldingFactor: 4, remainderSize: 16)

    /// Profiles by name, for command lines and configuration files.
    public static let profiles: [String: StarkParameters] = ["default": .default, "test-insecure": .testInsecure]

    /// Conjectured security in bits: min(log2(B)·queries + grinding bits, 128). The 128 is
    /// BLAKE3-256's collision resistance, which bounds every Merkle commitment; the field
    /// terms of DEEP-ALI and FRI (about 254 − log2(B·n·D)) are far above it for supported sizes.
    public var conjecturedSecurityBits: Int {
        min(blowup.trailingZeroBitCount * queries + grindingBits, 128)
    }

    /// Whether the profile gives fewer than 100 bits (tests only).
    public var isInsecure: Bool { conjecturedSecurityBits < 100 }

    public var description: String {
        "blowup \(blowup), \(queries) queries, \(grindingBits) grinding bits, folding \(foldingFactor), remainder ≤ \(remainderSize)"
            + " (\(conjecturedSecurityBits) bits\(isInsecure ? ", INSECURE" : ""))"
    }

    /// Throws `invalid_parameters` naming the first value out of range.
    public func validate() throws(StarkError) {
        func powerOfTwo(_ v: Int) -> Bool { v > 0 && v & (v - 1) == 0 }
        guard powerOfTwo(blowup), (2...256).contains(blowup) else {
            throw StarkError.invalidParameters("blowup \(blowup) is not a power of two in 2...256")
        }
        guard (1...1024).contains(queries) else { throw StarkError.invalidParameters("\(queries) queries, allowed 1...1024") }
        guard (0...40).contains(grindingBits) else {
            throw StarkError.invalidParameters("\(grindingBits) grinding bits, allowed 0...40")
        }
        guard [2, 4, 8, 16].contains(foldingFactor) else {
            throw StarkError.invalidParameters("folding factor \(foldingFactor), allowed 2, 4, 8, 16")
        }
        guard powerOfTwo(remainderSize), remainderSize <= 4096 else {
            throw StarkError.invalidParameters("remainder size \(remainderSize) is not a power of two in 1...4096")
        }
    }

    /// The 20-byte encoding written into proofs and transcripts: five little-endian u32.
    package var encoded: [UInt8] {
        var out: [UInt8] = []
        for v in [blowup, queries, grindingBits, foldingFactor, remainderSize] {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }
}
