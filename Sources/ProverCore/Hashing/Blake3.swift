import CBlake3

/// BLAKE3, the commitment and transcript hash (DESIGN §3 "Hashing").
///
/// Implemented from the BLAKE3 specification
/// (https://github.com/BLAKE3-team/BLAKE3-specs). The compression kernels live
/// in the `CBlake3` C target: a portable one plus SSE4.1 (4 lanes), AVX2
/// (8 lanes) and AVX-512 (16 lanes) multi-input kernels chosen at run time.
///
/// All one-shot functions are thin wrappers over ``Blake3/Hasher``.
public enum Blake3 {
    /// Length in bytes of a default digest, of a key, and of a chaining value.
    public static let outputLength = 32
    /// Length in bytes of a key for ``keyedHash(key:_:)``.
    public static let keyLength = 32
    /// Length in bytes of one compression block.
    public static let blockLength = 64
    /// Length in bytes of one chunk (a leaf of the hash tree).
    public static let chunkLength = 1024

    /// The default 32-byte BLAKE3 hash of `bytes`.
    public static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Digest {
        bytes.withBlake3Bytes { singleChunkDigest($0, key: .blake3IV, flags: 0) }
            ?? { var h = Hasher(); h.update(bytes); return h.finalize() }()
    }

    /// The default hash of raw bytes (non-generic, for hot call sites).
    public static func hash(bytes: UnsafeRawBufferPointer) -> Digest {
        if let d = singleChunkDigest(bytes, key: .blake3IV, flags: 0) { return d }
        var h = Hasher()
        h.update(bytes: bytes)
        return h.finalize()
    }

    /// The default hash of a byte array (non-generic overload of ``hash(_:)``).
    public static func hash(_ bytes: [UInt8]) -> Digest {
        bytes.withUnsafeBytes { hash(bytes: $0) }
    }

    /// Fast path for inputs of at most one chunk (transcript-sized): one C
    /// call, no hasher state. Nil for longer inputs.
    static func singleChunkDigest(_ p: UnsafeRawBufferPointer, key: Blake3Words, flags: UInt8) -> Digest? {
        guard p.count <= chunkLength else { return nil }
        var out = SIMD32<UInt8>()
        withUnsafeBytes(of: key) { k in
            withUnsafeMutableBytes(of: &out) { o in
                cb3_hash_single_chunk(
                    p.baseAddress?.assumingMemoryBound(to: UInt8.self), p.count,
                    k.baseAddress!.assumingMemoryBound(to: UInt32.self), flags,
                    o.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
        return Digest(storage: out)
    }

    /// `outputLength` bytes of BLAKE3 extendable output (XOF) for `bytes`.
    /// The first 32 bytes equal ``hash(_:)``.
    public static func hash<Bytes: Collection<UInt8>>(_ bytes: Bytes, outputLength: Int) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize(outputLength: outputLength)
    }

    /// Keyed hash (a MAC / PRF) of `bytes` under a 32-byte `key`.
    /// - Throws: ``Blake3Error/invalidKeyLength`` if `key` is not 32 bytes.
    public static func keyedHash<Key: Collection<UInt8>, Bytes: Collection<UInt8>>(
        key: Key, _ bytes: Bytes
    ) throws(Blake3Error) -> Digest {
        var hasher = try Hasher(key: key)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Key derivation: a 32-byte key for the given application `context`
    /// (a hardcoded, globally unique string) from `keyMaterial`.
    public static func deriveKey<Material: Collection<UInt8>>(
        context: String, keyMaterial: Material
    ) -> Digest {
        var hasher = Hasher(derivingKeyWithContext: context)
        hasher.update(keyMaterial)
        return hasher.finalize()
    }

    /// Key derivation with extended output of `outputLength` bytes.
    public static func deriveKey<Material: Collection<UInt8>>(
        context: String, keyMaterial: Material, outputLength: Int
    ) -> [UInt8] {
        var hasher = Hasher(derivingKeyWithContext: context)
        hasher.update(keyMaterial)
        return hasher.finalize(outputLength: outputLength)
    }
}

/// BLAKE3 domain-separation flags (spec Table 3).
enum Blake3Flags {
    static let chunkStart: UInt8 = 1 << 0
    static let chunkEnd: UInt8 = 1 << 1
    static let parent: UInt8 = 1 << 2
    static let root: UInt8 = 1 << 3
    static let keyedHash: UInt8 = 1 << 4
    static let deriveKeyContext: UInt8 = 1 << 5
    static let deriveKeyMaterial: UInt8 = 1 << 6
}

/// Eight 32-bit words: a key or a chaining value.
typealias Blake3Words = SIMD8<UInt32>

extension SIMD8 where Scalar == UInt32 {
    /// The BLAKE3 IV (SHA-256's initial hash value, spec §2.2).
    static let blake3IV = Blake3Words(
        0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A,
        0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19)

    /// Words from 32 little-endian bytes.
    init(littleEndianBytes p: UnsafeRawBufferPointer) {
        self.init()
        for i in 0..<8 { self[i] = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)) }
    }
}

extension Collection<UInt8> {
    /// Runs `body` over the bytes as one contiguous buffer, copying only if
    /// the collection has no contiguous storage.
    func withBlake3Bytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let r = withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(self).withUnsafeBytes(body)
    }
}
