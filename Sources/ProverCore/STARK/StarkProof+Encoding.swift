/// The binary encoding of `StarkProof` (docs/proof-format.md): little-endian integers,
/// canonical 32-byte little-endian field elements, 32-byte digests, no padding.
extension StarkProof {
    /// The encoded proof.
    public var bytes: [UInt8] {
        var w = ByteWriter()
        w.bytes.append(contentsOf: Self.magic)
        w.u32(Int(Self.encodingVersion))
        w.bytes.append(contentsOf: parameters.encoded)
        w.digest(traceRoot)
        w.digest(compositionRoot)
        w.elements(oodTraceCurrent)
        w.elements(oodTraceNext)
        w.elements(oodComposition)
        w.u32(friRoots.count)
        for root in friRoots { w.digest(root) }
        w.elements(remainder)
        w.u64(nonce)
        w.opening(traceOpening)
        w.opening(compositionOpening)
        w.u32(friOpenings.count)
        for opening in friOpenings { w.opening(opening) }
        return w.bytes
    }

    /// Decodes a proof. Throws `unsupported_version` for another magic or version and
    /// `malformed_proof` for anything else; never traps, and allocates only after checking a
    /// count against the bytes that remain.
    public init(bytes encoded: some Collection<UInt8>) throws(StarkError) {
        guard encoded.count <= Self.maxEncodedBytes else {
            throw StarkError.malformedProof("\(encoded.count) bytes exceed the limit of \(Self.maxEncodedBytes)")
        }
        var r = ByteReader.proof(Array(encoded))
        let magic = try r.raw(4, "magic")
        guard magic == Self.magic else { throw StarkError.unsupportedVersion("magic \(magic), expected \"STK1\"") }
        let version = try r.u32("version")
        guard version == Self.encodingVersion else {
            throw StarkError.unsupportedVersion("proof version \(version), this build reads \(Self.encodingVersion)")
        }
        var values = [Int](repeating: 0, count: 5)
        for i in 0..<5 { values[i] = Int(try r.u32("parameter \(i)")) }
        let parameters = StarkParameters(
            blowup: values[0], queries: values[1], grindingBits: values[2], foldingFactor: values[3], remainderSize: values[4])
        let traceRoot = try r.digest("trace root")
        let compositionRoot = try r.digest("composition root")
        let oodCurrent = try r.elements("out-of-domain trace values")
        let oodNext = try r.elements("out-of-domain next-row values")
        let oodComposition = try r.elements("out-of-domain composition values")
        let rootCount = try r.count("FRI root count", recordBytes: 32)
        var roots: [Blake3.Digest] = []
        roots.reserveCapacity(rootCount)
        for i in 0..<rootCount { roots.append(try r.digest("FRI root \(i)")) }
        let remainder = try r.elements("remainder")
        let nonce = try r.u64("nonce")
        let traceOpening = try r.opening("trace opening")
        let compositionOpening = try r.opening("composition opening")
        let openingCount = try r.count("FRI opening count", recordBytes: 12)
        var friOpenings: [Opening] = []
        friOpenings.reserveCapacity(openingCount)
        for i in 0..<openingCount { friOpenings.append(try r.opening("FRI opening \(i)")) }
        guard r.remaining == 0 else { throw StarkError.malformedProof("\(r.remaining) trailing bytes") }
        self.init(
            parameters: parameters, traceRoot: traceRoot, compositionRoot: compositionRoot, oodTraceCurrent: oodCurrent,
            oodTraceNext: oodNext, oodComposition: oodComposition, friRoots: roots, remainder: remainder, nonce: nonce,
            traceOpening: traceOpening, compositionOpening: compositionOpening, friOpenings: friOpenings)
    }
}

extension ByteWriter {
    mutating func digest(_ d: Blake3.Digest) { bytes.append(contentsOf: d.bytes) }

    /// u32 count, then the elements.
    mutating func elements(_ values: [Fr]) {
        u32(values.count)
        for v in values { fr(v) }
    }

    /// u32 leaf count, u32 leaf width, the values, then the multi-proof (u32 count + digests).
    mutating func opening(_ o: StarkProof.Opening) {
        u32(o.leafCount)
        u32(o.leafWidth)
        for v in o.values { fr(v) }
        u32(o.proof.siblings.count)
        for d in o.proof.siblings { digest(d) }
    }
}

/// The proof reader: every failure is `malformed_proof` naming the field and offset.
extension ByteReader where Failure == StarkError {
    static func proof(_ bytes: [UInt8]) -> ByteReader<StarkError> {
        ByteReader(bytes, shortfall: { StarkError.malformedProof($0) }, badElement: { StarkError.malformedProof($0) })
    }

    mutating func digest(_ what: String) throws(StarkError) -> Blake3.Digest {
        let at = try take(32, what)
        return try! Blake3.Digest(bytes: bytes[at..<(at + 32)])
    }

    /// A u32 count whose records (at least `recordBytes` each) fit in the bytes left.
    mutating func count(_ what: String, recordBytes: Int) throws(StarkError) -> Int {
        let n = Int(try u32(what))
        guard n <= remaining / recordBytes else {
            throw StarkError.malformedProof("\(what) \(n) needs more than the \(remaining) bytes left")
        }
        return n
    }

    mutating func elements(_ what: String) throws(StarkError) -> [Fr] {
        let n = try count(what, recordBytes: Fr.byteCount)
        var out: [Fr] = []
        out.reserveCapacity(n)
        for i in 0..<n { out.append(try fr("\(what) [\(i)]")) }
        return out
    }

    mutating func opening(_ what: String) throws(StarkError) -> StarkProof.Opening {
        let leaves = Int(try u32("\(what) leaf count"))
        let width = Int(try u32("\(what) leaf width"))
        let (total, overflow) = leaves.multipliedReportingOverflow(by: width)
        guard !overflow, width > 0, total <= remaining / Fr.byteCount else {
            throw StarkError.malformedProof("\(what): \(leaves) leaves of \(width) values do not fit the \(remaining) bytes left")
        }
        var values: [Fr] = []
        values.reserveCapacity(total)
        for i in 0..<total { values.append(try fr("\(what) value \(i)")) }
        let siblingCount = try count("\(what) sibling count", recordBytes: 32)
        var siblings: [Blake3.Digest] = []
        siblings.reserveCapacity(siblingCount)
        for i in 0..<siblingCount { siblings.append(try digest("\(what) sibling \(i)")) }
        return StarkProof.Opening(leafWidth: width, values: values, proof: MerkleMultiProof(siblings: siblings))
    }
}
