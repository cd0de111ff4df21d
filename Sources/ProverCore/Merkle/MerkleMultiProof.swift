/// An opening of several leaves at once: the sibling digests the verifier cannot compute
/// itself, level by level from the leaves up and in increasing index order within a level.
/// A node shared by two opened paths is sent once (or not at all, when both children are known).
public struct MerkleMultiProof: Sendable, Equatable {
    /// The sibling digests, 32 bytes each, in the order described above.
    public var siblings: [Blake3.Digest]

    public init(siblings: [Blake3.Digest]) {
        self.siblings = siblings
    }

    /// Encoding: u32 little-endian count, then the digests.
    public var encoded: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(4 + 32 * siblings.count)
        withUnsafeBytes(of: UInt32(siblings.count).littleEndian) { out.append(contentsOf: $0) }
        for digest in siblings { out.append(contentsOf: digest.bytes) }
        return out
    }

    /// Decodes `encoded`, refusing a count above `maxSiblings` before allocating, truncation,
    /// and trailing bytes.
    public init(decoding bytes: [UInt8], maxSiblings: Int = 1 << 20) throws(MerkleError) {
        guard bytes.count >= 4 else { throw MerkleError.malformedProof("\(bytes.count) bytes: no count") }
        let count = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
        guard count <= maxSiblings else { throw MerkleError.malformedProof("\(count) siblings exceed the limit \(maxSiblings)") }
        guard bytes.count == 4 + 32 * count else {
            throw MerkleError.malformedProof("\(count) siblings need \(4 + 32 * count) bytes, got \(bytes.count)")
        }
        siblings = (0..<count).map { i in try! Blake3.Digest(bytes: bytes[(4 + 32 * i)..<(36 + 32 * i)]) }
    }
}

extension MerkleTree {
    /// Opens the leaves at `indices` (strictly increasing, each below `leafCount`).
    public func open(indices: [Int]) throws(MerkleError) -> MerkleMultiProof {
        try Self.checkIndices(indices, leafCount: leafCount)
        var siblings: [Blake3.Digest] = []
        var known = indices
        var level = 0, width = leafCount
        while width > 1 {
            var parents: [Int] = []
            parents.reserveCapacity(known.count)
            var k = 0
            while k < known.count {
                let index = known[k]
                let sibling = index ^ 1
                if k + 1 < known.count, known[k + 1] == sibling {
                    k += 2  // both children known: nothing to send
                } else {
                    let o = offset(level: level, index: sibling)
                    siblings.append(try! Blake3.Digest(bytes: nodes[o..<(o + 32)]))
                    k += 1
                }
                parents.append(index / 2)
            }
            known = parents
            level += 1
            width /= 2
        }
        return MerkleMultiProof(siblings: siblings)
    }

    static func checkIndices(_ indices: [Int], leafCount: Int) throws(MerkleError) {
        guard !indices.isEmpty else { throw MerkleError.noIndices }
        var previous = -1
        for index in indices {
            guard index >= 0, index < leafCount else { throw MerkleError.indexOutOfRange("index \(index) of \(leafCount) leaves") }
            guard index > previous else { throw MerkleError.indicesNotIncreasing("index \(index) after \(previous)") }
            previous = index
        }
    }

    /// Checks that `leaves` (strictly increasing indices with their leaf digests) belong to the
    /// tree of `leafCount` leaves with root `root`. Every index, count and length is checked
    /// before use; the proof must contain exactly the siblings the indices need.
    public static func verify(
        root: Blake3.Digest, leafCount: Int, leaves: [(index: Int, digest: Blake3.Digest)], proof: MerkleMultiProof
    ) throws(MerkleError) {
        try checkLeafCount(leafCount)
        try checkIndices(leaves.map(\.index), leafCount: leafCount)
        var known = leaves.map { (index: $0.index, digest: $0.digest) }
        var next = 0, width = leafCount
        var message = [UInt8](repeating: 0, count: 64)
        while width > 1 {
            var parents: [(index: Int, digest: Blake3.Digest)] = []
            parents.reserveCapacity(known.count)
            var k = 0
            while k < known.count {
                let (index, digest) = known[k]
                let siblingDigest: Blake3.Digest
                if k + 1 < known.count, known[k + 1].index == index ^ 1 {
                    siblingDigest = known[k + 1].digest
                    k += 2
                } else {
                    guard next < proof.siblings.count else {
                        throw MerkleError.proofTooShort("needed more than \(proof.siblings.count) siblings")
                    }
                    siblingDigest = proof.siblings[next]
                    next += 1
                    k += 1
                }
                let (left, right) = index & 1 == 0 ? (digest, siblingDigest) : (siblingDigest, digest)
                left.withUnsafeBytes { l in message.withUnsafeMutableBytes { $0.copyMemory(from: l) } }
                right.withUnsafeBytes { r in message.withUnsafeMutableBytes { (m: UnsafeMutableRawBufferPointer) in
                    UnsafeMutableRawBufferPointer(rebasing: m[32..<64]).copyMemory(from: r)
                } }
                parents.append((index / 2, Blake3.hash(message)))
            }
            known = parents
            width /= 2
        }
        guard next == proof.siblings.count else {
            throw MerkleError.proofTooLong("\(proof.siblings.count - next) unused siblings")
        }
        guard known.count == 1, known[0].digest == root else { throw MerkleError.rootMismatch }
    }

    /// The leaf digest of a row of field elements (BLAKE3 of its canonical bytes), as the tree
    /// computes it; verifiers use it on opened rows.
    public static func leafDigest(row: some Collection<Fr>) -> Blake3.Digest {
        var bytes = [UInt8](repeating: 0, count: 32 * row.count)
        bytes.withUnsafeMutableBytes { buffer in
            for (i, x) in row.enumerated() {
                x.writeLittleEndianBytes(to: UnsafeMutableRawBufferPointer(rebasing: buffer[(32 * i)..<(32 * i + 32)]))
            }
        }
        return Blake3.hash(bytes)
    }
}
