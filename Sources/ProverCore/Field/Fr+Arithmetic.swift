// Field operators. Scalar operations are Swift (inlinable across modules, see
// Fr+Montgomery.swift); loops over many elements use the C kernels (FrVector, NTT).

extension Fr {
    @inlinable @inline(__always) public static func + (a: Fr, b: Fr) -> Fr { Fr(montgomeryLimbs: modularSum(a.limbs, b.limbs)) }
    @inlinable @inline(__always) public static func - (a: Fr, b: Fr) -> Fr { Fr(montgomeryLimbs: modularDifference(a.limbs, b.limbs)) }
    @inlinable @inline(__always) public static func * (a: Fr, b: Fr) -> Fr { Fr(montgomeryLimbs: montgomeryProduct(a.limbs, b.limbs)) }
    @inlinable public static prefix func - (a: Fr) -> Fr { Fr(montgomeryLimbs: modularDifference((0, 0, 0, 0), a.limbs)) }

    @inlinable public static func += (a: inout Fr, b: Fr) { a = a + b }
    @inlinable public static func -= (a: inout Fr, b: Fr) { a = a - b }
    @inlinable public static func *= (a: inout Fr, b: Fr) { a = a * b }

    /// self².
    @inlinable @inline(__always) public func squared() -> Fr { Fr(montgomeryLimbs: Fr.montgomeryProduct(limbs, limbs)) }

    /// 2·self.
    @inlinable public func doubled() -> Fr { self + self }

    /// self^e for an exponent given as little-endian 64-bit limbs (left-to-right binary method).
    public func power(limbs exponent: [UInt64]) -> Fr {
        var result = Fr.one
        for word in exponent.reversed() {
            var bit = 63
            while bit >= 0 {
                result = result.squared()
                if (word >> UInt64(bit)) & 1 == 1 { result = result * self }
                bit -= 1
            }
        }
        return result
    }

    /// self^e.
    public func power(_ exponent: UInt64) -> Fr { power(limbs: [exponent]) }

    /// self^e for any non-negative big exponent.
    public func power(_ exponent: GMPInteger) -> Fr {
        power(limbs: exponent.littleEndianLimbs(count: max(1, (exponent.bitWidth + 63) / 64)))
    }
}
