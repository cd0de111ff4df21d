extension Fr {
    /// Parses a canonical value written in decimal or `0x`-hex; rejects empty text, any
    /// character that is not a digit of the base (signs and spaces included), and values >= r.
    public init(parsing text: String) throws(FieldError) {
        let value = try GMPInteger(parsing: text)
        guard value < Fr.modulus else {
            throw FieldError.valueOutOfRange("\(text.prefix(80)) is not below the BN254 scalar modulus")
        }
        let l = value.littleEndianLimbs(count: 4)
        self.init(canonicalLimbs: (l[0], l[1], l[2], l[3]))!
    }

    /// Decodes the canonical 32-byte big-endian encoding, rejecting values >= r.
    public init(bigEndianBytes bytes: some Collection<UInt8>) throws(FieldError) {
        try self.init(bytes: bytes, bigEndian: true)
    }

    /// Decodes the canonical 32-byte little-endian encoding, rejecting values >= r.
    public init(littleEndianBytes bytes: some Collection<UInt8>) throws(FieldError) {
        try self.init(bytes: bytes, bigEndian: false)
    }

    private init(bytes: some Collection<UInt8>, bigEndian: Bool) throws(FieldError) {
        guard bytes.count == Fr.byteCount else {
            throw FieldError.invalidLength("expected \(Fr.byteCount) bytes, got \(bytes.count)")
        }
        var limbs: [UInt64] = [0, 0, 0, 0]
        for (i, byte) in bytes.enumerated() {
            let position = bigEndian ? 31 - i : i  // byte significance
            limbs[position / 8] |= UInt64(byte) << UInt64(8 * (position % 8))
        }
        guard let value = Fr(canonicalLimbs: (limbs[0], limbs[1], limbs[2], limbs[3])) else {
            throw FieldError.valueOutOfRange("encoded value is not below the BN254 scalar modulus")
        }
        self = value
    }

    /// Writes the canonical 32-byte little-endian encoding to `out` (which must hold 32 bytes).
    public func writeLittleEndianBytes(to out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= Fr.byteCount)
        let c = canonicalLimbs
        out.storeBytes(of: c.0.littleEndian, toByteOffset: 0, as: UInt64.self)
        out.storeBytes(of: c.1.littleEndian, toByteOffset: 8, as: UInt64.self)
        out.storeBytes(of: c.2.littleEndian, toByteOffset: 16, as: UInt64.self)
        out.storeBytes(of: c.3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// The canonical 32-byte little-endian encoding.
    public var littleEndianBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Fr.byteCount) { buffer, count in
            writeLittleEndianBytes(to: UnsafeMutableRawBufferPointer(buffer))
            count = Fr.byteCount
        }
    }

    /// The canonical 32-byte big-endian encoding.
    public var bigEndianBytes: [UInt8] { littleEndianBytes.reversed() }

    /// The canonical value as `0x` followed by 64 lowercase hex digits.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = Array("0x".utf8)
        for byte in bigEndianBytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The canonical value in decimal.
    public var decimalString: String {
        let c = canonicalLimbs
        return GMPInteger(littleEndianLimbs: [c.0, c.1, c.2, c.3]).toString()
    }
}

extension Fr: CustomStringConvertible {
    public var description: String { hexString }
}
