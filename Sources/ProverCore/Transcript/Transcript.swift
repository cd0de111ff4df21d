/// A Fiat–Shamir transcript over BLAKE3 (DESIGN.md §3).
///
/// The state is a 32-byte digest. Every absorb replaces it with BLAKE3 of
/// (state ‖ operation tag ‖ label ‖ payload), with lengths framed, so the same bytes under
/// another label, or split differently, give another state. The initial state is derived from
/// a protocol domain string with BLAKE3's derive-key mode. Challenges are read from BLAKE3's
/// extendable output of (state ‖ tag ‖ label ‖ counter), and the state then absorbs the fact
/// that a challenge was drawn, so two draws under one label differ.
public struct Transcript: Sendable {
    /// The current state.
    public private(set) var state: Blake3.Digest
    private var counter: UInt64 = 0

    private enum Tag: UInt8 {
        case absorb = 1
        case challenge = 2
        case challengeDrawn = 3
    }

    /// A fresh transcript for protocol `domain` (e.g. "prover-stark v1").
    public init(domain: String) {
        state = Blake3.deriveKey(context: "prover transcript 2026-11 domain separation", keyMaterial: Array(domain.utf8))
    }

    private static func frame(_ out: inout [UInt8], _ bytes: some Collection<UInt8>) {
        withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: bytes)
    }

    private func message(_ tag: Tag, label: String, payload: some Collection<UInt8>) -> [UInt8] {
        var out = state.bytes
        out.append(tag.rawValue)
        Self.frame(&out, label.utf8)
        Self.frame(&out, payload)
        return out
    }

    /// Absorbs bytes under a label.
    public mutating func absorb(_ label: String, bytes: some Collection<UInt8>) {
        state = Blake3.hash(message(.absorb, label: label, payload: bytes))
    }

    /// Absorbs field elements (canonical little-endian encodings).
    public mutating func absorb(_ label: String, elements: some Collection<Fr>) {
        var bytes = [UInt8]()
        bytes.reserveCapacity(32 * elements.count)
        for x in elements { bytes.append(contentsOf: x.littleEndianBytes) }
        absorb(label, bytes: bytes)
    }

    /// Absorbs one field element.
    public mutating func absorb(_ label: String, element: Fr) {
        absorb(label, bytes: element.littleEndianBytes)
    }

    /// Absorbs a commitment (a Merkle root or any digest).
    public mutating func absorb(_ label: String, digest: Blake3.Digest) {
        absorb(label, bytes: digest.bytes)
    }

    /// `count` bytes of challenge output under `label`; then the state moves on.
    public mutating func challengeBytes(_ label: String, count: Int) -> [UInt8] {
        var payload = [UInt8]()
        withUnsafeBytes(of: counter.littleEndian) { payload.append(contentsOf: $0) }
        let output = Blake3.hash(message(.challenge, label: label, payload: payload), outputLength: count)
        state = Blake3.hash(message(.challengeDrawn, label: label, payload: payload))
        counter &+= 1
        return output
    }

    /// A uniformly distributed field element: 64 output bytes read as a 512-bit integer and
    /// reduced modulo r (statistical distance from uniform below 2^-250).
    public mutating func challengeElement(_ label: String) -> Fr {
        let wide = challengeBytes(label, count: 64)
        let value = GMPInteger(bigEndianBytes: wide).modulo(Fr.modulus)
        let l = value.littleEndianLimbs(count: 4)
        return Fr(canonicalLimbs: (l[0], l[1], l[2], l[3]))!
    }

    /// `count` distinct indices below `domainSize` (a power of two), in the order drawn.
    /// - Precondition: 0 <= count <= domainSize.
    public mutating func challengeIndices(_ label: String, count: Int, domainSize: Int) -> [Int] {
        precondition(domainSize > 0 && domainSize & (domainSize - 1) == 0, "domain size must be a power of two")
        precondition(count >= 0 && count <= domainSize, "cannot draw \(count) distinct indices below \(domainSize)")
        var chosen = Set<Int>()
        var indices: [Int] = []
        indices.reserveCapacity(count)
        let mask = UInt64(domainSize - 1)
        while indices.count < count {
            let bytes = challengeBytes(label, count: 8 * (count - indices.count + 4))
            var offset = 0
            while offset + 8 <= bytes.count, indices.count < count {
                var word: UInt64 = 0
                for b in 0..<8 { word |= UInt64(bytes[offset + b]) << UInt64(8 * b) }
                offset += 8
                let index = Int(word & mask)  // the domain is a power of two: masking is unbiased
                if chosen.insert(index).inserted { indices.append(index) }
            }
        }
        return indices
    }
}
