/// Appends little-endian integers and canonical field elements (the binary formats `AIR1` and
/// `STK1`).
package struct ByteWriter {
    package var bytes: [UInt8] = []

    package init() {}

    package mutating func u32(_ v: Int) { u32(UInt32(truncatingIfNeeded: v)) }
    package mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func fr(_ v: Fr) { bytes.append(contentsOf: v.littleEndianBytes) }
}

/// Reads little-endian integers and canonical field elements from bytes, never trapping:
/// running out of bytes and a value ≥ r become the format's own typed errors, each detail
/// naming the field and the offset.
package struct ByteReader<Failure: Error> {
    package let bytes: [UInt8]
    package var offset = 0
    /// Builds the error for "the bytes end before a field".
    let shortfall: (String) -> Failure
    /// Builds the error for "a field element is not below r".
    let badElement: (String) -> Failure

    package init(_ bytes: [UInt8], shortfall: @escaping (String) -> Failure, badElement: @escaping (String) -> Failure) {
        self.bytes = bytes
        self.shortfall = shortfall
        self.badElement = badElement
    }

    package var remaining: Int { bytes.count - offset }

    /// The offset of the next `n` bytes, then moves past them.
    package mutating func take(_ n: Int, _ what: String) throws(Failure) -> Int {
        guard n >= 0, remaining >= n else { throw shortfall("\(what) at offset \(offset) needs \(n) bytes, \(remaining) left") }
        defer { offset += n }
        return offset
    }

    package mutating func raw(_ n: Int, _ what: String) throws(Failure) -> [UInt8] {
        let at = try take(n, what)
        return Array(bytes[at..<(at + n)])
    }

    package mutating func u32(_ what: String) throws(Failure) -> UInt32 {
        let at = try take(4, what)
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[at + i]) << (8 * UInt32(i)) }
        return v
    }

    package mutating func u64(_ what: String) throws(Failure) -> UInt64 {
        let at = try take(8, what)
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[at + i]) << (8 * UInt64(i)) }
        return v
    }

    package mutating func fr(_ what: String) throws(Failure) -> Fr {
        let at = try take(Fr.byteCount, what)
        guard let v = try? Fr(littleEndianBytes: bytes[at..<(at + Fr.byteCount)]) else {
            throw badElement("\(what) at offset \(at) is not below r")
        }
        return v
    }
}
