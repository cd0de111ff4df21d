/// Proof-of-work grinding on a transcript: a nonce such that BLAKE3(state ‖ tag ‖ nonce) starts
/// with `bits` zero bits. Each extra bit doubles the prover's expected work and adds one bit
/// to the conjectured security of the protocol that grinds.
extension Transcript {
    /// Searches nonces 0, 1, 2, … for one that satisfies `bits` (0...64), absorbs it and
    /// returns it.
    public mutating func grind(bits: Int) -> UInt64 {
        precondition((0...64).contains(bits), "grinding bits must be in 0...64")
        var nonce: UInt64 = 0
        while !Self.leadingZeroBits(of: grindingDigest(nonce: nonce), atLeast: bits) { nonce &+= 1 }
        absorb("grinding-nonce", bytes: Self.bytes(nonce))
        return nonce
    }

    /// Checks `nonce` against `bits`; on success absorbs it (as `grind` does) and returns true.
    /// A wrong nonce leaves the transcript unchanged.
    public mutating func verifyGrinding(nonce: UInt64, bits: Int) -> Bool {
        guard (0...64).contains(bits), Self.leadingZeroBits(of: grindingDigest(nonce: nonce), atLeast: bits) else {
            return false
        }
        absorb("grinding-nonce", bytes: Self.bytes(nonce))
        return true
    }

    private static func bytes(_ nonce: UInt64) -> [UInt8] {
        withUnsafeBytes(of: nonce.littleEndian) { Array($0) }
    }

    private func grindingDigest(nonce: UInt64) -> Blake3.Digest {
        var message = state.bytes
        message.append(4)  // the grinding tag, after Transcript.Tag's 1...3
        message.append(contentsOf: Self.bytes(nonce))
        return Blake3.hash(message)
    }

    static func leadingZeroBits(of digest: Blake3.Digest, atLeast bits: Int) -> Bool {
        var remaining = bits
        for byte in digest.bytes {
            if remaining <= 0 { return true }
            if remaining >= 8 {
                guard byte == 0 else { return false }
                remaining -= 8
            } else {
                return byte >> UInt8(8 - remaining) == 0
            }
        }
        return remaining <= 0
    }
}
