import CBlake3
import Dispatch

extension Blake3 {
    /// Inputs at least this long are split across two threads by ``hashParallel(_:)``.
    public static let parallelThreshold = 128 * 1024

    /// The default hash of `bytes`, computed on two threads for long inputs:
    /// the root's left subtree (the largest power-of-two number of chunks
    /// that leaves at least one byte) on one thread, the right subtree on the
    /// other, then the root parent node. Equal to ``hash(_:)``.
    public static func hashParallel(_ bytes: UnsafeRawBufferPointer) -> Digest {
        hashParallel(bytes, backend: .active)
    }

    /// ``hashParallel(_:)`` with an explicit kernel backend (must be supported).
    package static func hashParallel(_ bytes: UnsafeRawBufferPointer, backend: Backend) -> Digest {
        guard bytes.count >= parallelThreshold else {
            var hasher = Hasher(backend: backend)
            hasher.update(bytes: bytes)
            return hasher.finalize()
        }
        let chunks = (bytes.count + chunkLength - 1) / chunkLength
        let leftChunks = 1 << ((Int.bitWidth - 1) - (chunks - 1).leadingZeroBitCount)
        let leftLength = leftChunks * chunkLength
        let key = Blake3Words.blake3IV
        let results = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 32)
        defer { results.deallocate() }
        let shared = SharedBuffers(input: bytes, results: results)
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            if side == 0 {
                withUnsafeBytes(of: key) { k in
                    cb3_subtree_cv(
                        backend.c, shared.input.baseAddress!.assumingMemoryBound(to: UInt8.self), leftChunks,
                        k.baseAddress!.assumingMemoryBound(to: UInt32.self), 0, 0,
                        shared.results.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            } else {
                var right = Hasher(key: key, flags: 0, backend: backend, firstChunk: UInt64(leftChunks))
                right.update(bytes: UnsafeRawBufferPointer(rebasing: shared.input[leftLength...]))
                shared.results.storeBytes(of: right.rootOutput().chainingValue(), toByteOffset: 32, as: Blake3Words.self)
            }
        }
        let left = results.load(fromByteOffset: 0, as: Blake3Words.self)
        let right = results.load(fromByteOffset: 32, as: Blake3Words.self)
        return Blake3Output.parent(left: left, right: right, key: key, flags: 0).rootDigest()
    }
}

/// Buffers handed to the two worker threads: the input is only read, and each
/// thread writes its own disjoint 32-byte half of `results`.
private struct SharedBuffers: @unchecked Sendable {
    let input: UnsafeRawBufferPointer
    let results: UnsafeMutableRawBufferPointer
}
