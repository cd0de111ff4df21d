/// A binary Merkle tree over BLAKE3 (DESIGN.md §3): leaf = BLAKE3 of a row's canonical bytes,
/// node = BLAKE3(left ‖ right).
///
/// All levels are kept in one contiguous buffer of 32-byte digests, leaves first, so each level
/// is hashed into the next with one batched call (`Blake3.hashMany64`): the pairs of a level are
/// exactly the consecutive 64-byte messages. Leaf counts are powers of two.
public struct MerkleTree: Sendable {
    /// Number of leaves (a power of two).
    public let leafCount: Int
    /// Every digest, level by level from the leaves up to the root: (2·leafCount − 1)·32 bytes.
    package let nodes: [UInt8]

    /// Rows hashed per batch when committing to rows (bounds the scratch buffer).
    static let rowBatch = 4096

    /// Builds the tree over leaf digests already computed (32 bytes each, back to back).
    public init(leafDigests: [UInt8], threads: Int = 1) throws(MerkleError) {
        guard leafDigests.count % 32 == 0 else { throw MerkleError.invalidLeafCount("leaf digests must be 32 bytes each") }
        let count = leafDigests.count / 32
        try Self.checkLeafCount(count)
        var nodes = [UInt8](repeating: 0, count: (2 * count - 1) * 32)
        nodes.withUnsafeMutableBytes { buffer in
            leafDigests.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            Self.hashLevels(buffer, leafCount: count, threads: threads)
        }
        self.leafCount = count
        self.nodes = nodes
    }

    /// Commits to `rows.count / rowWidth` rows of `rowWidth` field elements each (row-major);
    /// each leaf is BLAKE3 of the row's 32·rowWidth canonical little-endian bytes.
    public init(rows: UnsafeBufferPointer<Fr>, rowWidth: Int, threads: Int = 1) throws(MerkleError) {
        guard rowWidth > 0, rows.count % rowWidth == 0 else {
            throw MerkleError.invalidRowWidth("\(rows.count) elements are not whole rows of \(rowWidth)")
        }
        let input = SendablePointer(rows.baseAddress!)
        try self.init(leafCount: rows.count / rowWidth, leafWidth: rowWidth, threads: threads) { leaf, out in
            out.update(from: input.pointer + leaf * rowWidth, count: rowWidth)
        }
    }

    /// Commits to `leafCount` leaves of `leafWidth` field elements each, where `gather(i, out)`
    /// writes leaf i's elements to `out` (so a leaf can collect values stored anywhere, e.g. a
    /// coset of an LDE kept column by column). Each leaf is BLAKE3 of its canonical
    /// little-endian bytes, as in `init(rows:rowWidth:threads:)`. `gather` runs on several
    /// threads at once.
    public init(
        leafCount count: Int, leafWidth: Int, threads: Int = 1, gather: @Sendable (Int, UnsafeMutablePointer<Fr>) -> Void
    ) throws(MerkleError) {
        guard leafWidth > 0 else { throw MerkleError.invalidRowWidth("leaf width \(leafWidth)") }
        try Self.checkLeafCount(count)
        var nodes = [UInt8](repeating: 0, count: (2 * count - 1) * 32)
        let rowBytes = 32 * leafWidth
        nodes.withUnsafeMutableBytes { buffer in
            let out = SendablePointer(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
            Parallel.ranges(count, pieces: threads, grain: 256) { start, length in
                let batch = min(length, Self.rowBatch)
                // One allocation: the batch's bytes, then room for one leaf's elements.
                let block = UnsafeMutableRawBufferPointer.allocate(byteCount: batch * rowBytes + rowBytes, alignment: 64)
                defer { block.deallocate() }
                let scratch = UnsafeMutableRawBufferPointer(rebasing: block[0..<(batch * rowBytes)])
                let leafValues = (block.baseAddress! + batch * rowBytes).bindMemory(to: Fr.self, capacity: leafWidth)
                var row = start
                while row < start + length {
                    let n = min(batch, start + length - row)
                    for r in 0..<n {
                        gather(row + r, leafValues)
                        for c in 0..<leafWidth {
                            leafValues[c].writeLittleEndianBytes(
                                to: UnsafeMutableRawBufferPointer(rebasing: scratch[(r * rowBytes + 32 * c)..<(r * rowBytes + 32 * c + 32)]))
                        }
                    }
                    try! Blake3.hashMany(
                        UnsafeRawBufferPointer(rebasing: scratch[0..<(n * rowBytes)]), inputLength: rowBytes,
                        into: UnsafeMutableRawBufferPointer(start: out.pointer + 32 * row, count: 32 * n))
                    row += n
                }
            }
            Self.hashLevels(buffer, leafCount: count, threads: threads)
        }
        self.leafCount = count
        self.nodes = nodes
    }

    /// Array convenience for `init(rows:rowWidth:threads:)`.
    public init(rows: [Fr], rowWidth: Int, threads: Int = 1) throws(MerkleError) {
        self = try rows.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<Fr>) throws(MerkleError) in
            try MerkleTree(rows: buffer, rowWidth: rowWidth, threads: threads)
        }
    }

    static func checkLeafCount(_ count: Int) throws(MerkleError) {
        guard count > 0, count & (count - 1) == 0, count <= 1 << 32 else {
            throw MerkleError.invalidLeafCount("leaf count \(count) is not a power of two in 1...2^32")
        }
    }

    /// Hashes level after level in place; level L's nodes start where level L−1's end.
    private static func hashLevels(_ buffer: UnsafeMutableRawBufferPointer, leafCount: Int, threads: Int) {
        var levelStart = 0, width = leafCount
        let base = SendablePointer(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        while width > 1 {
            let parents = width / 2
            let inStart = levelStart, outStart = levelStart + 32 * width
            Parallel.ranges(parents, pieces: threads, grain: 2048) { start, length in
                try! Blake3.hashMany64(
                    UnsafeRawBufferPointer(start: base.pointer + inStart + 64 * start, count: 64 * length),
                    into: UnsafeMutableRawBufferPointer(start: base.pointer + outStart + 32 * start, count: 32 * length))
            }
            levelStart = outStart
            width = parents
        }
    }

    /// The commitment.
    public var root: Blake3.Digest {
        try! Blake3.Digest(bytes: nodes[(nodes.count - 32)...])
    }

    /// Byte offset of node `index` on `level` (0 = leaves).
    func offset(level: Int, index: Int) -> Int {
        var start = 0, width = leafCount
        for _ in 0..<level {
            start += 32 * width
            width /= 2
        }
        return start + 32 * index
    }

    /// The digest of leaf `index`.
    public func leafDigest(_ index: Int) throws(MerkleError) -> Blake3.Digest {
        guard (0..<leafCount).contains(index) else { throw MerkleError.indexOutOfRange("leaf \(index) of \(leafCount)") }
        return try! Blake3.Digest(bytes: nodes[(32 * index)..<(32 * index + 32)])
    }
}
