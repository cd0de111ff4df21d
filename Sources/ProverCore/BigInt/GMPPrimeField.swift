/// A prime field of any odd modulus, computed entirely with GMP.
///
/// It is slow (every operation allocates) and exists to be obviously correct: the oracle the
/// fast `Fr` path is tested against, and a tool for big-integer work on any modulus. Elements
/// are `GMPInteger`s in `[0, modulus)`; the field does not check that the modulus is prime.
public struct GMPPrimeField: Sendable {
    /// The modulus p.
    public let modulus: GMPInteger

    /// Creates the field modulo `modulus`, which must be odd and greater than 2.
    public init(modulus: GMPInteger) throws(FieldError) {
        guard modulus > GMPInteger(2), modulus.littleEndianLimbs(count: (modulus.bitWidth + 63) / 64)[0] & 1 == 1 else {
            throw FieldError.invalidModulus("modulus must be odd and > 2, got \(modulus)")
        }
        self.modulus = modulus
    }

    /// Parses a canonical element (decimal or 0x-hex), rejecting values >= p.
    public func element(parsing text: String) throws(FieldError) -> GMPInteger {
        let value = try GMPInteger(parsing: text)
        guard value < modulus else { throw FieldError.valueOutOfRange("\(text.prefix(80)) is not below the modulus") }
        return value
    }

    /// Reduces any integer into the field.
    public func reduce(_ x: GMPInteger) -> GMPInteger { x.modulo(modulus) }

    public func add(_ a: GMPInteger, _ b: GMPInteger) -> GMPInteger { (a + b).modulo(modulus) }
    public func subtract(_ a: GMPInteger, _ b: GMPInteger) -> GMPInteger { (a - b).modulo(modulus) }
    public func negate(_ a: GMPInteger) -> GMPInteger { (GMPInteger() - a).modulo(modulus) }
    public func multiply(_ a: GMPInteger, _ b: GMPInteger) -> GMPInteger { (a * b).modulo(modulus) }
    public func square(_ a: GMPInteger) -> GMPInteger { (a * a).modulo(modulus) }
    public func power(_ a: GMPInteger, _ e: GMPInteger) -> GMPInteger { a.power(e, modulo: modulus) }

    /// The multiplicative inverse; throws `divisionByZero` for zero (or any non-unit).
    public func inverse(_ a: GMPInteger) throws(FieldError) -> GMPInteger {
        guard let inv = a.inverse(modulo: modulus) else { throw FieldError.divisionByZero }
        return inv
    }
}
