import CBlake3

/// State of one chunk (up to 1024 bytes, 16 blocks) being absorbed (spec §2.4).
struct Blake3ChunkState: Sendable {
    var cv: Blake3Words
    let chunkCounter: UInt64
    let flags: UInt8
    var block = SIMD64<UInt8>()
    var blockLen = 0
    var blocksCompressed = 0

    init(key: Blake3Words, chunkCounter: UInt64, flags: UInt8) {
        self.cv = key
        self.chunkCounter = chunkCounter
        self.flags = flags
    }

    /// Bytes absorbed so far.
    var count: Int { blocksCompressed * 64 + blockLen }

    private var startFlag: UInt8 { blocksCompressed == 0 ? Blake3Flags.chunkStart : 0 }

    private mutating func compress(_ p: UnsafePointer<UInt8>) {
        let f = flags | startFlag
        withUnsafeMutableBytes(of: &cv) { cvp in
            cb3_compress_in_place(cvp.baseAddress!.assumingMemoryBound(to: UInt32.self), p, 64, chunkCounter, f)
        }
        blocksCompressed += 1
    }

    /// Absorbs `input`, which must fit in the chunk (count + input.count <= 1024).
    /// The last block is always kept buffered, since it may need CHUNK_END.
    mutating func update(_ input: UnsafeRawBufferPointer) {
        var p = input
        while !p.isEmpty {
            if blockLen == 64 {
                var blk = block
                withUnsafeBytes(of: &blk) { compress($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
                block = SIMD64()
                blockLen = 0
            }
            if blockLen == 0 {
                // Whole blocks straight from the input, keeping at least one byte back.
                while p.count > 64 {
                    compress(p.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    p = UnsafeRawBufferPointer(rebasing: p[64...])
                }
            }
            let take = min(64 - blockLen, p.count)
            withUnsafeMutableBytes(of: &block) { b in
                (b.baseAddress! + blockLen).copyMemory(from: p.baseAddress!, byteCount: take)
            }
            blockLen += take
            p = UnsafeRawBufferPointer(rebasing: p[take...])
        }
    }

    /// The chunk's final compression, not yet performed.
    func output() -> Blake3Output {
        Blake3Output(
            inputCV: cv, block: block, blockLen: UInt8(blockLen), counter: chunkCounter,
            flags: flags | startFlag | Blake3Flags.chunkEnd)
    }
}
