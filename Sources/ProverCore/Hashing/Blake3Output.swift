import CBlake3

/// The last compression of a node, held back until we know whether it is the
/// root (spec §2.6): either its chaining value or the root's extended output
/// is taken from it.
struct Blake3Output: Sendable {
    var inputCV: Blake3Words
    var block: SIMD64<UInt8>
    var blockLen: UInt8
    var counter: UInt64
    var flags: UInt8

    /// The node's chaining value (non-root).
    func chainingValue() -> Blake3Words {
        var cv = inputCV
        withUnsafeMutableBytes(of: &cv) { cvp in
            withUnsafeBytes(of: block) { b in
                cb3_compress_in_place(
                    cvp.baseAddress!.assumingMemoryBound(to: UInt32.self),
                    b.baseAddress!.assumingMemoryBound(to: UInt8.self), blockLen, counter, flags)
            }
        }
        return cv
    }

    /// The first 32 root output bytes.
    func rootDigest() -> Blake3.Digest {
        var out = SIMD32<UInt8>()
        withUnsafeMutableBytes(of: &out) { rootBytes(into: $0, seek: 0) }
        return Blake3.Digest(storage: out)
    }

    /// Fills `out` with root output bytes starting at byte offset `seek` of
    /// the (2^64-byte) extended output.
    func rootBytes(into out: UnsafeMutableRawBufferPointer, seek: UInt64) {
        guard !out.isEmpty else { return }
        withUnsafeBytes(of: inputCV) { cvRaw in
            withUnsafeBytes(of: block) { blockRaw in
                let cv = cvRaw.baseAddress!.assumingMemoryBound(to: UInt32.self)
                let blk = blockRaw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var blockIndex = seek / 64
                var skip = Int(seek % 64)
                var written = 0
                var tmp = SIMD64<UInt8>()
                while written < out.count {
                    let remaining = out.count - written
                    if skip == 0 && remaining >= 64 {
                        let n = remaining / 64
                        cb3_xof_many(cv, blk, blockLen, blockIndex, flags, out.baseAddress! + written, n)
                        written += 64 * n
                        blockIndex &+= UInt64(n)
                        continue
                    }
                    withUnsafeMutableBytes(of: &tmp) { t in
                        cb3_xof_many(cv, blk, blockLen, blockIndex, flags, t.baseAddress!.assumingMemoryBound(to: UInt8.self), 1)
                        let take = min(64 - skip, remaining)
                        (out.baseAddress! + written).copyMemory(from: t.baseAddress! + skip, byteCount: take)
                        written += take
                    }
                    skip = 0
                    blockIndex &+= 1
                }
            }
        }
    }

    /// The parent node over two child chaining values.
    static func parent(left: Blake3Words, right: Blake3Words, key: Blake3Words, flags: UInt8) -> Blake3Output {
        var block = SIMD64<UInt8>()
        withUnsafeMutableBytes(of: &block) { b in
            b.storeBytes(of: left, toByteOffset: 0, as: Blake3Words.self)
            b.storeBytes(of: right, toByteOffset: 32, as: Blake3Words.self)
        }
        return Blake3Output(inputCV: key, block: block, blockLen: 64, counter: 0, flags: flags | Blake3Flags.parent)
    }
}
