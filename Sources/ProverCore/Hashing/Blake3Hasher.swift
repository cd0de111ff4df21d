import CBlake3

extension Blake3 {
    /// Incremental BLAKE3: call ``update(_:)`` any number of times with any
    /// split points, then ``finalize()`` (or ``finalize(outputLength:)``,
    /// ``finalizeXOF()``). Finalizing does not consume the hasher.
    ///
    /// Long inputs go to the multi-lane kernel: whenever the hasher sits on a
    /// chunk boundary, the largest aligned power-of-two run of whole chunks that
    /// is surely not the last chunk is hashed as one complete subtree (chunks in
    /// SIMD lanes, then parent levels in SIMD lanes), and its chaining value is
    /// merged into the chaining-value stack (spec §5.1.2).
    public struct Hasher: Sendable {
        let key: Blake3Words
        let flags: UInt8
        let backend: Backend
        var chunk: Blake3ChunkState
        /// Chaining values of complete subtrees, largest first; one per 1-bit
        /// of the number of completed chunks.
        var stack: [Blake3Words] = []
        /// When the input so far ended with a whole power-of-two subtree (handed
        /// over in one piece), its two halves' chaining values: that subtree may
        /// still be the root, so it stays a parent node until more input arrives
        /// or the hasher finalizes. `chunk` is then empty.
        var pendingParent: PendingParent?

        struct PendingParent: Sendable {
            var left: Blake3Words
            var right: Blake3Words
            var log2Chunks: Int
        }

        /// `firstChunk` is nonzero only for the tail of a larger input (see
        /// ``Blake3/hashParallel(_:)``): it must be a multiple of a power of
        /// two S, and at most S chunks may then be absorbed, so that merges
        /// stay inside the tail.
        init(key: Blake3Words, flags: UInt8, backend: Backend, firstChunk: UInt64 = 0) {
            self.key = key
            self.flags = flags
            self.backend = backend
            self.chunk = Blake3ChunkState(key: key, chunkCounter: firstChunk, flags: flags)
            // The stack stays unallocated for inputs of at most one chunk.
        }

        /// A hasher for the default hash mode.
        public init() { self.init(key: .blake3IV, flags: 0, backend: .active) }

        /// A hasher for the default hash mode using a given kernel backend
        /// (for tests and benchmarks; `backend` must be supported).
        package init(backend: Backend) { self.init(key: .blake3IV, flags: 0, backend: backend) }

        /// A hasher for the keyed hash mode.
        /// - Throws: ``Blake3Error/invalidKeyLength`` if `key` is not 32 bytes.
        public init<Key: Collection<UInt8>>(key: Key) throws(Blake3Error) {
            try self.init(key: key, backend: .active)
        }

        /// Keyed hash mode with an explicit kernel backend.
        package init<Key: Collection<UInt8>>(key: Key, backend: Backend) throws(Blake3Error) {
            guard key.count == 32 else { throw .invalidKeyLength }
            let words = key.withBlake3Bytes { Blake3Words(littleEndianBytes: $0) }
            self.init(key: words, flags: Blake3Flags.keyedHash, backend: backend)
        }

        /// A hasher for the derive-key mode: feed it the key material.
        public init(derivingKeyWithContext context: String) {
            self.init(derivingKeyWithContext: context, backend: .active)
        }

        /// Derive-key mode with an explicit kernel backend.
        package init(derivingKeyWithContext context: String, backend: Backend) {
            var contextHasher = Hasher(key: .blake3IV, flags: Blake3Flags.deriveKeyContext, backend: backend)
            contextHasher.update(context.utf8)
            let contextKey = contextHasher.finalize().withUnsafeBytes { Blake3Words(littleEndianBytes: $0) }
            self.init(key: contextKey, flags: Blake3Flags.deriveKeyMaterial, backend: backend)
        }

        /// Absorbs more input.
        public mutating func update<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
            bytes.withBlake3Bytes { update(bytes: $0) }
        }

        /// Absorbs more input from raw memory.
        public mutating func update(bytes input: UnsafeRawBufferPointer) {
            var p = input
            while !p.isEmpty {
                if let pending = pendingParent {
                    // More input follows, so the pending subtree is not the root.
                    let cv = Blake3Output.parent(left: pending.left, right: pending.right, key: key, flags: flags).chainingValue()
                    pushSubtree(cv, totalChunks: chunk.chunkCounter, log2Chunks: pending.log2Chunks)
                    pendingParent = nil
                }
                if chunk.count == Blake3.chunkLength {
                    // More input follows, so the full chunk is not the root.
                    let total = chunk.chunkCounter + 1
                    pushSubtree(chunk.output().chainingValue(), totalChunks: total, log2Chunks: 0)
                    chunk = Blake3ChunkState(key: key, chunkCounter: total, flags: flags)
                }
                if chunk.count == 0 && p.count > Blake3.chunkLength {
                    let counter = chunk.chunkCounter
                    // Largest power of two n with n whole chunks <= remaining input,
                    // limited by the alignment of the counter.
                    var log2n = (Int.bitWidth - 1) - p.count.leadingZeroBitCount - 10
                    if counter != 0 { log2n = min(log2n, counter.trailingZeroBitCount) }
                    let n = 1 << log2n
                    let total = counter + UInt64(n)
                    if n * Blake3.chunkLength == p.count {
                        // The subtree is all that is left and may be the root: keep its
                        // halves (n >= 2 here, as p.count > one chunk).
                        let (left, right) = subtreeChildren(p, chunks: n, counter: counter)
                        pendingParent = PendingParent(left: left, right: right, log2Chunks: log2n)
                    } else {
                        pushSubtree(subtreeCV(p, chunks: n, counter: counter), totalChunks: total, log2Chunks: log2n)
                    }
                    chunk = Blake3ChunkState(key: key, chunkCounter: total, flags: flags)
                    p = UnsafeRawBufferPointer(rebasing: p[(n * Blake3.chunkLength)...])
                    continue
                }
                let take = min(Blake3.chunkLength - chunk.count, p.count)
                chunk.update(UnsafeRawBufferPointer(rebasing: p[..<take]))
                p = UnsafeRawBufferPointer(rebasing: p[take...])
            }
        }

        /// The chaining value of the complete subtree of `chunks` chunks (a power
        /// of two) at the start of `p`, whose first chunk is number `counter`.
        func subtreeCV(_ p: UnsafeRawBufferPointer, chunks: Int, counter: UInt64) -> Blake3Words {
            subtree(cb3_subtree_cv, p, chunks: chunks, counter: counter, into: Blake3Words())
        }

        /// The chaining values of the two halves of the complete subtree of `chunks`
        /// chunks (a power of two, at least 2) at the start of `p`, in one pass.
        func subtreeChildren(_ p: UnsafeRawBufferPointer, chunks: Int, counter: UInt64) -> (Blake3Words, Blake3Words) {
            subtree(cb3_subtree_children, p, chunks: chunks, counter: counter, into: (Blake3Words(), Blake3Words()))
        }

        /// `cb3_subtree_cv` or `cb3_subtree_children`: they share their arguments and
        /// differ in how many chaining values they write.
        typealias SubtreeFunction = @convention(c) (
            cb3_backend, UnsafePointer<UInt8>?, Int, UnsafePointer<UInt32>?, UInt64, UInt8, UnsafeMutablePointer<UInt8>?
        ) -> Void

        /// Runs `function` over the subtree at the start of `p`, writing its chaining
        /// values over the bytes of `result`.
        private func subtree<Result>(
            _ function: SubtreeFunction, _ p: UnsafeRawBufferPointer, chunks: Int, counter: UInt64, into result: Result
        ) -> Result {
            var result = result
            withUnsafeBytes(of: key) { k in
                withUnsafeMutableBytes(of: &result) { out in
                    function(
                        backend.c, p.baseAddress!.assumingMemoryBound(to: UInt8.self), chunks,
                        k.baseAddress!.assumingMemoryBound(to: UInt32.self), counter, flags,
                        out.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
            return result
        }

        /// Pushes the chaining value of a complete, aligned subtree of
        /// 2^log2Chunks chunks ending at chunk count `totalChunks`, merging
        /// completed pairs (one merge per trailing zero above the subtree).
        mutating func pushSubtree(_ cv: Blake3Words, totalChunks: UInt64, log2Chunks: Int) {
            var cv = cv
            var t = totalChunks >> UInt64(log2Chunks)
            while t & 1 == 0 {
                cv = Blake3Output.parent(left: stack.removeLast(), right: cv, key: key, flags: flags).chainingValue()
                t >>= 1
            }
            stack.append(cv)
        }

        /// The root node's pending output.
        func rootOutput() -> Blake3Output {
            var output = pendingParent.map { Blake3Output.parent(left: $0.left, right: $0.right, key: key, flags: flags) }
                ?? chunk.output()
            for left in stack.reversed() {
                output = Blake3Output.parent(left: left, right: output.chainingValue(), key: key, flags: flags)
            }
            return output
        }

        /// The 32-byte digest of everything absorbed so far.
        public func finalize() -> Digest { rootOutput().rootDigest() }

        /// `outputLength` bytes of extended output (the first 32 equal ``finalize()``).
        public func finalize(outputLength: Int) -> [UInt8] {
            precondition(outputLength >= 0, "negative output length")
            return [UInt8](unsafeUninitializedCapacity: outputLength) { buf, n in
                rootOutput().rootBytes(into: UnsafeMutableRawBufferPointer(buf), seek: 0)
                n = outputLength
            }
        }

        /// A seekable reader over the extended output.
        public func finalizeXOF() -> OutputReader { OutputReader(output: rootOutput()) }
    }

    /// Reads BLAKE3 extended output from any position (up to 2^64 bytes).
    public struct OutputReader: Sendable {
        let output: Blake3Output
        /// Byte offset of the next ``read(into:)``.
        public var position: UInt64 = 0

        init(output: Blake3Output) { self.output = output }

        /// Fills `buffer` with the next output bytes and advances ``position``.
        public mutating func read(into buffer: UnsafeMutableRawBufferPointer) {
            output.rootBytes(into: buffer, seek: position)
            position &+= UInt64(buffer.count)
        }

        /// The next `count` output bytes.
        public mutating func read(count: Int) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: count) { buf, n in
                read(into: UnsafeMutableRawBufferPointer(buf))
                n = count
            }
        }

        /// Moves to byte offset `position` of the extended output.
        public mutating func seek(to position: UInt64) { self.position = position }
    }
}
