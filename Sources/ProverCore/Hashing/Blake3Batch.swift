import CBlake3

extension Blake3 {
    /// Hashes N independent 64-byte messages (e.g. Merkle nodes
    /// `left ‖ right` of two 32-byte children) into N 32-byte digests, in
    /// 4/8/16 SIMD lanes. `input` holds the messages back to back; digest `i`
    /// is written to `output[32*i ..< 32*i+32]`. No allocation.
    ///
    /// Each digest equals `Blake3.hash(message)`: a 64-byte message is a
    /// single-block chunk compressed with CHUNK_START | CHUNK_END | ROOT.
    /// - Throws: ``Blake3Error/invalidBufferLength`` unless `input.count` is a
    ///   multiple of 64 and `output.count == input.count / 2`.
    public static func hashMany64(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(Blake3Error) {
        try hashMany64(input, into: output, backend: .active)
    }

    /// ``hashMany64(_:into:)`` with an explicit kernel backend (must be supported).
    package static func hashMany64(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, backend: Backend
    ) throws(Blake3Error) {
        guard input.count % 64 == 0, output.count == input.count / 2 else { throw .invalidBufferLength }
        hashMany64Unchecked(input, into: output, backend: backend)
    }

    /// Lengths already checked.
    static func hashMany64Unchecked(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, backend: Backend
    ) {
        guard !input.isEmpty else { return }
        withUnsafeBytes(of: Blake3Words.blake3IV) { iv in
            cb3_hash_many_backend(
                backend.c, input.baseAddress!.assumingMemoryBound(to: UInt8.self), 64, input.count / 64, 1,
                iv.baseAddress!.assumingMemoryBound(to: UInt32.self), 0, false,
                Blake3Flags.chunkStart | Blake3Flags.chunkEnd | Blake3Flags.root, 0, 0,
                output.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Array convenience for ``hashMany64(_:into:)``: returns the N digests
    /// back to back (32·N bytes).
    public static func hashMany64(_ input: [UInt8]) throws(Blake3Error) -> [UInt8] {
        guard input.count % 64 == 0 else { throw .invalidBufferLength }
        var out = [UInt8](repeating: 0, count: input.count / 2)
        input.withUnsafeBytes { i in
            out.withUnsafeMutableBytes { o in hashMany64Unchecked(i, into: o, backend: .active) }
        }
        return out
    }

    /// Hashes N independent inputs of equal length `inputLength` (back to back
    /// in `input`, e.g. Merkle leaves that are fixed-size rows) into N 32-byte
    /// digests in `output`; digest `i` equals `Blake3.hash` of input `i`.
    ///
    /// Inputs that are a single chunk of whole blocks (`inputLength` a
    /// positive multiple of 64, at most 1024) go through the SIMD lanes in
    /// one call; other lengths are hashed one by one (same results).
    /// - Throws: ``Blake3Error/invalidBufferLength`` unless `inputLength > 0`,
    ///   `input.count` is a multiple of it, and `output.count` is 32 per input.
    public static func hashMany(
        _ input: UnsafeRawBufferPointer, inputLength: Int, into output: UnsafeMutableRawBufferPointer
    ) throws(Blake3Error) {
        try hashMany(input, inputLength: inputLength, into: output, backend: .active)
    }

    /// ``hashMany(_:inputLength:into:)`` with an explicit kernel backend (must be supported).
    package static func hashMany(
        _ input: UnsafeRawBufferPointer, inputLength: Int, into output: UnsafeMutableRawBufferPointer,
        backend: Backend
    ) throws(Blake3Error) {
        guard inputLength > 0, input.count % inputLength == 0, output.count == input.count / inputLength * 32
        else { throw .invalidBufferLength }
        let count = input.count / inputLength
        guard count > 0 else { return }
        if inputLength % blockLength == 0 && inputLength <= chunkLength {
            withUnsafeBytes(of: Blake3Words.blake3IV) { iv in
                cb3_hash_many_backend(
                    backend.c, input.baseAddress!.assumingMemoryBound(to: UInt8.self), inputLength, count,
                    inputLength / blockLength, iv.baseAddress!.assumingMemoryBound(to: UInt32.self), 0, false, 0,
                    Blake3Flags.chunkStart, Blake3Flags.chunkEnd | Blake3Flags.root,
                    output.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            return
        }
        for i in 0..<count {
            let one = UnsafeRawBufferPointer(rebasing: input[(i * inputLength)..<((i + 1) * inputLength)])
            var hasher = Hasher(backend: backend)
            hasher.update(bytes: one)
            output.storeBytes(of: hasher.finalize().storage, toByteOffset: 32 * i, as: SIMD32<UInt8>.self)
        }
    }

    /// BLAKE3 tree parent chaining values over N pairs of 32-byte child
    /// chaining values (PARENT flag, not ROOT), in SIMD lanes: pair `i` is
    /// `input[64*i ..< 64*i+64]`, its parent CV goes to `output[32*i ..< 32*i+32]`.
    /// - Throws: ``Blake3Error/invalidBufferLength`` as for ``hashMany64(_:into:)``.
    public static func parentChainingValues(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws(Blake3Error) {
        guard input.count % 64 == 0, output.count == input.count / 2 else { throw .invalidBufferLength }
        guard !input.isEmpty else { return }
        withUnsafeBytes(of: Blake3Words.blake3IV) { iv in
            cb3_hash_many(
                input.baseAddress!.assumingMemoryBound(to: UInt8.self), 64, input.count / 64, 1,
                iv.baseAddress!.assumingMemoryBound(to: UInt32.self), 0, false, Blake3Flags.parent, 0, 0,
                output.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
    }
}
