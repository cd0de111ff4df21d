import CGMP

/// An immutable arbitrary-precision non-negative-or-negative integer backed by GMP's `mpz_t`.
///
/// Used for big-integer work the fast field path does not do itself: parsing, printing,
/// inversion, exponentiation and deriving constants, and as the oracle the 4-limb Montgomery
/// code is tested against. Every operation returns a new value; nothing is mutated after
/// initialization, which is what makes sharing across threads safe.
public final class GMPInteger: @unchecked Sendable {
    package let raw: UnsafeMutablePointer<__mpz_struct>

    /// Creates zero.
    public init() {
        raw = .allocate(capacity: 1)
        __gmpz_init(raw)
    }

    /// Creates the value of a machine word.
    public convenience init(_ value: UInt) {
        self.init()
        __gmpz_set_ui(raw, value)
    }

    /// Creates the value of little-endian 64-bit limbs.
    public convenience init(littleEndianLimbs limbs: [UInt64]) {
        self.init()
        limbs.withUnsafeBufferPointer { buffer in
            // order -1: least significant word first; endian 0: native.
            __gmpz_import(raw, buffer.count, -1, 8, 0, 0, buffer.baseAddress)
        }
    }

    /// Creates the value of big-endian bytes.
    public convenience init(bigEndianBytes bytes: [UInt8]) {
        self.init()
        bytes.withUnsafeBufferPointer { buffer in
            __gmpz_import(raw, buffer.count, 1, 1, 1, 0, buffer.baseAddress)
        }
    }

    /// Parses a non-negative integer written in decimal, or in hexadecimal after `0x`/`0X`.
    ///
    /// Only digits of the base are accepted: no sign, whitespace, separators or empty digits.
    public convenience init(parsing text: String) throws(FieldError) {
        var digits = Substring(text)
        var base: Int32 = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            digits = digits.dropFirst(2)
            base = 16
        }
        guard !digits.isEmpty else { throw FieldError.emptyInput("no digits in \"\(text)\"") }
        for (offset, ch) in digits.utf8.enumerated() {
            let ok: Bool
            switch ch {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): ok = true
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): ok = base == 16
            default: ok = false
            }
            guard ok else {
                throw FieldError.invalidCharacter("\(base == 16 ? "hex" : "decimal") digit expected at offset \(offset + (base == 16 ? 2 : 0)) of \"\(text.prefix(80))\"")
            }
        }
        self.init()
        let status = String(digits).withCString { __gmpz_set_str(raw, $0, base) }
        precondition(status == 0, "validated digits rejected by GMP")
    }

    deinit {
        __gmpz_clear(raw)
        raw.deallocate()
    }

    /// -1, 0 or 1.
    public var signum: Int { Int(raw.pointee._mp_size.signum()) }

    /// Number of bits in the absolute value (0 for zero).
    public var bitWidth: Int { signum == 0 ? 0 : __gmpz_sizeinbase(raw, 2) }

    /// The absolute value as little-endian 64-bit limbs (`count` limbs, zero-padded; the value
    /// must fit).
    public func littleEndianLimbs(count: Int) -> [UInt64] {
        var limbs = [UInt64](repeating: 0, count: count)
        precondition(bitWidth <= 64 * count, "value does not fit in \(count) limbs")
        var written = 0
        limbs.withUnsafeMutableBufferPointer { buffer in
            _ = __gmpz_export(buffer.baseAddress, &written, -1, 8, 0, 0, raw)
        }
        return limbs
    }

    /// The value in the given base (2...62), lowercase, with a leading `-` if negative.
    public func toString(base: Int32 = 10) -> String {
        let size = __gmpz_sizeinbase(raw, base) + 2
        var buffer = [CChar](repeating: 0, count: size)
        _ = buffer.withUnsafeMutableBufferPointer { __gmpz_get_str($0.baseAddress, base, raw) }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> GMPInteger {
        let result = GMPInteger()
        body(result.raw)
        return result
    }

    public static func + (a: GMPInteger, b: GMPInteger) -> GMPInteger { make { __gmpz_add($0, a.raw, b.raw) } }
    public static func - (a: GMPInteger, b: GMPInteger) -> GMPInteger { make { __gmpz_sub($0, a.raw, b.raw) } }
    public static func * (a: GMPInteger, b: GMPInteger) -> GMPInteger { make { __gmpz_mul($0, a.raw, b.raw) } }

    /// The non-negative remainder modulo `m` (m > 0).
    public func modulo(_ m: GMPInteger) -> GMPInteger { GMPInteger.make { __gmpz_mod($0, raw, m.raw) } }

    /// self^e mod m for e >= 0, m > 0.
    public func power(_ e: GMPInteger, modulo m: GMPInteger) -> GMPInteger {
        GMPInteger.make { __gmpz_powm($0, raw, e.raw, m.raw) }
    }

    /// The inverse modulo `m`, or nil if none exists.
    public func inverse(modulo m: GMPInteger) -> GMPInteger? {
        let result = GMPInteger()
        return __gmpz_invert(result.raw, raw, m.raw) != 0 ? result : nil
    }

    /// self · 2^bits.
    public func shiftedLeft(_ bits: Int) -> GMPInteger { GMPInteger.make { __gmpz_mul_2exp($0, raw, mp_bitcnt_t(bits)) } }
}

extension GMPInteger: Comparable, Equatable, CustomStringConvertible {
    public static func == (a: GMPInteger, b: GMPInteger) -> Bool { __gmpz_cmp(a.raw, b.raw) == 0 }
    public static func < (a: GMPInteger, b: GMPInteger) -> Bool { __gmpz_cmp(a.raw, b.raw) < 0 }
    public var description: String { toString() }
}
