import CBlake3
import ProverCore
import Testing

/// Runs the C multi-input kernel with one backend.
func kernelHashMany(
    _ backend: Blake3.Backend, input: [UInt8], stride: Int, count: Int, blocks: Int, key: [UInt32],
    counter: UInt64, increment: Bool, flags: UInt8, start: UInt8, end: UInt8
) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 32 * count)
    input.withUnsafeBufferPointer { i in
        out.withUnsafeMutableBufferPointer { o in
            cb3_hash_many_backend(
                cb3_backend(rawValue: UInt32(backend.rawValue)), i.baseAddress!, stride, count, blocks, key,
                counter, increment, flags, start, end, o.baseAddress!)
        }
    }
    return out
}

@Suite struct Blake3KernelTests {
    /// Every SIMD backend matches the portable kernel on random inputs, for
    /// batch sizes that exercise full batches and remainders, several block
    /// counts and strides, and a counter that carries into the high word.
    @Test(arguments: blake3TestBackends.filter { $0 != .portable } + (Blake3.Backend.avx512.isSupported ? [.avx512] : []))
    func simdMatchesPortable(backend: Blake3.Backend) {
        var rng = SplitMix64(state: 42)
        let key: [UInt32] = (0..<8).map { _ in UInt32(truncatingIfNeeded: rng.next()) }
        for count in [1, 3, 4, 5, 8, 9, 15, 16, 17, 31, 33, 40] {
            for blocks in [1, 2, 16] {
                for (stride, counter, increment) in [
                    (64 * blocks, UInt64(0), false), (64 * blocks + 64, UInt64(0xFFFF_FFFC), true),
                    (1024, UInt64(7) << 32, true),
                ] where stride >= 64 * blocks {
                    let input = rng.bytes(stride * count)
                    let args = (count, blocks, key, counter, increment)
                    let reference = kernelHashMany(
                        .portable, input: input, stride: stride, count: args.0, blocks: args.1, key: args.2,
                        counter: args.3, increment: args.4, flags: 16, start: 1, end: 2 | 8)
                    let simd = kernelHashMany(
                        backend, input: input, stride: stride, count: args.0, blocks: args.1, key: args.2,
                        counter: args.3, increment: args.4, flags: 16, start: 1, end: 2 | 8)
                    #expect(simd == reference, "count \(count) blocks \(blocks) stride \(stride) counter \(counter)")
                }
            }
        }
    }

    /// Streaming and one-shot hashes agree across backends on random inputs
    /// of many lengths (around block, chunk and subtree boundaries).
    @Test func backendsAgreeOnRandomLengths() throws {
        var rng = SplitMix64(state: 7)
        let lengths = [0, 1, 63, 64, 65, 1023, 1024, 1025, 2047, 2048, 2049, 4096, 5000, 8191, 8193,
                       16 * 1024 + 1, 33 * 1024, 64 * 1024 - 1, 100_000, 300_000,
                       // Whole power-of-two inputs: one subtree pass, kept as the root's children.
                       32 * 1024, 256 * 1024, 1 << 20]
        let key = rng.bytes(32)
        for n in lengths {
            let input = rng.bytes(n)
            var reference = Blake3.Hasher(backend: .portable)
            reference.update(input)
            var keyedReference = try Blake3.Hasher(key: key, backend: .portable)
            keyedReference.update(input)
            for backend in blake3TestBackends + (Blake3.Backend.avx512.isSupported ? [.avx512] : []) {
                var h = Blake3.Hasher(backend: backend)
                feed(&h, input, pieces: [rng.next() % 2 == 0 ? 4096 : 777])
                #expect(h.finalize() == reference.finalize(), "len \(n) \(backend)")
                var k = try Blake3.Hasher(key: key, backend: backend)
                k.update(input)
                #expect(k.finalize(outputLength: 100) == keyedReference.finalize(outputLength: 100), "len \(n) \(backend)")
            }
            #expect(input.withUnsafeBytes { Blake3.hashParallel($0) } == reference.finalize(), "parallel len \(n)")
        }
    }

    /// The multi-core hash equals the sequential one around subtree and
    /// threshold boundaries.
    @Test(arguments: [128 * 1024 - 1, 128 * 1024, 128 * 1024 + 1, 1 << 20, (1 << 20) - 1, (1 << 20) + 1, 3 * (1 << 20) + 5000])
    func parallelMatchesSequential(length: Int) {
        var rng = SplitMix64(state: UInt64(length))
        let input = rng.bytes(length)
        var reference = Blake3.Hasher(backend: .portable)
        reference.update(input)
        #expect(input.withUnsafeBytes { Blake3.hashParallel($0) } == reference.finalize())
        #expect(Blake3.hash(input) == reference.finalize())
    }

    /// hashMany64 equals the one-shot hash of each 64-byte message.
    @Test(arguments: [0, 1, 2, 7, 8, 9, 16, 17, 100, 1000])
    func hashMany64MatchesOneShot(count: Int) throws {
        var rng = SplitMix64(state: UInt64(count))
        let input = rng.bytes(64 * count)
        let out = try Blake3.hashMany64(input)
        #expect(out.count == 32 * count)
        for i in 0..<count {
            let expected = Blake3.hash(input[(64 * i)..<(64 * i + 64)])
            #expect(Array(out[(32 * i)..<(32 * i + 32)]) == expected.bytes, "element \(i)")
        }
    }

    /// Parent chaining values build the BLAKE3 tree: for a 4-chunk input,
    /// root = ROOT-compress(P(c0,c1) ‖ P(c2,c3)) must equal the one-shot hash.
    @Test func parentChainingValuesBuildTheTree() throws {
        var rng = SplitMix64(state: 99)
        let input = rng.bytes(4096)
        let iv: [UInt32] = [0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A, 0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19]
        let chunkCVs = kernelHashMany(
            .portable, input: input, stride: 1024, count: 4, blocks: 16, key: iv, counter: 0, increment: true,
            flags: 0, start: 1, end: 2)
        var parents = [UInt8](repeating: 0, count: 64)
        try chunkCVs.withUnsafeBytes { i in try parents.withUnsafeMutableBytes { try Blake3.parentChainingValues(i, into: $0) } }
        var root = [UInt8](repeating: 0, count: 64)
        parents.withUnsafeBufferPointer { p in
            root.withUnsafeMutableBufferPointer { cb3_compress_xof(iv, p.baseAddress!, 64, 0, 4 | 8, $0.baseAddress!) }
        }
        #expect(Array(root.prefix(32)) == Blake3.hash(input).bytes)
    }

    /// hashMany over equal-length inputs equals the one-shot hash per input,
    /// on the SIMD path (whole blocks, one chunk) and the fallback path.
    @Test(arguments: [1, 32, 64, 96, 128, 640, 1024, 1088, 3200])
    func hashManyEqualLengthMatchesOneShot(length: Int) throws {
        var rng = SplitMix64(state: UInt64(length) &* 31)
        let count = 19
        let input = rng.bytes(length * count)
        for backend in blake3TestBackends + (Blake3.Backend.avx512.isSupported ? [.avx512] : []) {
            var out = [UInt8](repeating: 0, count: 32 * count)
            try input.withUnsafeBytes { i in
                try out.withUnsafeMutableBytes { try Blake3.hashMany(i, inputLength: length, into: $0, backend: backend) }
            }
            for k in 0..<count {
                #expect(Array(out[(32 * k)..<(32 * k + 32)]) == Blake3.hash(input[(length * k)..<(length * (k + 1))]).bytes,
                        "length \(length) input \(k) \(backend)")
            }
        }
    }

    @Test func hashMany64RejectsBadLengths() {
        #expect(throws: Blake3Error.invalidBufferLength) { _ = try Blake3.hashMany64([UInt8](repeating: 0, count: 65)) }
        let input = [UInt8](repeating: 0, count: 128)
        var out = [UInt8](repeating: 0, count: 32)
        #expect(throws: Blake3Error.invalidBufferLength) {
            try input.withUnsafeBytes { i in try out.withUnsafeMutableBytes { try Blake3.hashMany64(i, into: $0) } }
        }
        #expect(throws: Blake3Error.invalidBufferLength) {
            try input.withUnsafeBytes { i in try out.withUnsafeMutableBytes { try Blake3.hashMany(i, inputLength: 0, into: $0) } }
        }
        #expect(throws: Blake3Error.invalidBufferLength) {
            try input.withUnsafeBytes { i in try out.withUnsafeMutableBytes { try Blake3.hashMany(i, inputLength: 96, into: $0) } }
        }
    }
}
