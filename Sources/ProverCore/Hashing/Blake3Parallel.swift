import CBlake3
import Dispatch

extension Blake3 {
    /// Inputs at least this long are split across threads by ``hashParallel(_:)``.
    public static let parallelThreshold = 128 * 1024

    /// The default hash of `bytes` (equal to ``hash(_:)``), computed on all
    /// cores for long inputs.
    ///
    /// The input is cut into aligned complete subtrees of S chunks (S a power
    /// of two, about a quarter of an even per-core share), plus a tail of 1…S
    /// chunks. Subtree chaining values and the tail's hasher state are computed
    /// concurrently (GCD `concurrentPerform`), then merged into one hasher's
    /// chaining-value stack exactly as sequential hashing would have merged
    /// them (the tail never merges past its own subtree size).
    public static func hashParallel(_ bytes: UnsafeRawBufferPointer) -> Digest {
        hashParallel(bytes, backend: .active)
    }

    /// ``hashParallel(_:)`` with an explicit kernel backend (must be supported).
    package static func hashParallel(_ bytes: UnsafeRawBufferPointer, backend: Backend) -> Digest {
        parallelHasher(bytes, key: .blake3IV, flags: 0, backend: backend).finalize()
    }

    /// A hasher that has absorbed `bytes`, built in parallel.
    static func parallelHasher(
        _ bytes: UnsafeRawBufferPointer, key: Blake3Words, flags: UInt8, backend: Backend
    ) -> Hasher {
        let cores = max(1, ProcessInfo_activeProcessorCount())
        guard bytes.count >= parallelThreshold, cores > 1 else {
            var hasher = Hasher(key: key, flags: flags, backend: backend)
            hasher.update(bytes: bytes)
            return hasher
        }
        let chunks = (bytes.count + chunkLength - 1) / chunkLength
        let share = max(16, chunks / (4 * cores))
        let log2S = (Int.bitWidth - 1) - share.leadingZeroBitCount
        let subtreeChunks = 1 << log2S
        let subtrees = (chunks - 1) / subtreeChunks  // leaves at least one chunk for the tail
        let tailStart = subtrees * subtreeChunks
        let work = ParallelWork(input: bytes, subtrees: subtrees, key: key, flags: flags, backend: backend)
        DispatchQueue.concurrentPerform(iterations: subtrees + 1) { i in
            if i < subtrees {
                withUnsafeBytes(of: work.key) { k in
                    cb3_subtree_cv(
                        work.backend.c,
                        work.input.baseAddress!.assumingMemoryBound(to: UInt8.self) + i * subtreeChunks * chunkLength,
                        subtreeChunks, k.baseAddress!.assumingMemoryBound(to: UInt32.self),
                        UInt64(i * subtreeChunks), work.flags,
                        work.cvs.baseAddress!.assumingMemoryBound(to: UInt8.self) + 32 * i)
                }
            } else {
                var tail = Hasher(key: work.key, flags: work.flags, backend: work.backend, firstChunk: UInt64(tailStart))
                tail.update(bytes: UnsafeRawBufferPointer(rebasing: work.input[(tailStart * chunkLength)...]))
                work.tail = tail
            }
        }
        var hasher = Hasher(key: key, flags: flags, backend: backend)
        for i in 0..<subtrees {
            let cv = work.cvs.load(fromByteOffset: 32 * i, as: Blake3Words.self)
            hasher.pushSubtree(cv, totalChunks: UInt64((i + 1) * subtreeChunks), log2Chunks: log2S)
        }
        let tail = work.tail!
        hasher.stack.append(contentsOf: tail.stack)
        hasher.chunk = tail.chunk
        hasher.pendingParent = tail.pendingParent
        return hasher
    }
}

/// State shared by the worker iterations: the input is only read, iteration
/// `i` writes only CV slot `i`, and only the last iteration writes `tail`.
/// `concurrentPerform` returns after all iterations, which orders the writes
/// before the reads.
private final class ParallelWork: @unchecked Sendable {
    let input: UnsafeRawBufferPointer
    let cvs: UnsafeMutableRawBufferPointer
    let key: Blake3Words
    let flags: UInt8
    let backend: Blake3.Backend
    var tail: Blake3.Hasher?

    init(input: UnsafeRawBufferPointer, subtrees: Int, key: Blake3Words, flags: UInt8, backend: Blake3.Backend) {
        self.input = input
        self.cvs = .allocate(byteCount: max(32, 32 * subtrees), alignment: 32)
        self.key = key
        self.flags = flags
        self.backend = backend
    }

    deinit { cvs.deallocate() }
}

/// Online CPU count without importing Foundation into the core.
private func ProcessInfo_activeProcessorCount() -> Int {
    Int(cb3_online_cpus())
}
