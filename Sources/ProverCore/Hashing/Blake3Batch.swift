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
