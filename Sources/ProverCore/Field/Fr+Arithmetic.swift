import CFieldKernels

// Binary and unary operators. Each calls one C kernel on the element's limbs.

@inline(__always)
private func withLimbs<R>(
    _ a: Fr, _ b: Fr,
    _ body: (UnsafeMutablePointer<UInt64>, UnsafePointer<UInt64>, UnsafePointer<UInt64>) -> R
) -> Fr {
    var a = a
    var b = b
    var out = Fr.zero
    withUnsafeMutablePointer(to: &out.limbs) { o in
        withUnsafePointer(to: &a.limbs) { pa in
            withUnsafePointer(to: &b.limbs) { pb in
                _ = body(
                    UnsafeMutableRawPointer(o).assumingMemoryBound(to: UInt64.self),
                    UnsafeRawPointer(pa).assumingMemoryBound(to: UInt64.self),
                    UnsafeRawPointer(pb).assumingMemoryBound(to: UInt64.self))
            }
        }
    }
    return out
}

extension Fr {
    public static func + (a: Fr, b: Fr) -> Fr { withLimbs(a, b) { prover_fr_add($0, $1, $2) } }
    public static func - (a: Fr, b: Fr) -> Fr { withLimbs(a, b) { prover_fr_sub($0, $1, $2) } }
    public static func * (a: Fr, b: Fr) -> Fr { withLimbs(a, b) { prover_fr_mul($0, $1, $2) } }
    public static prefix func - (a: Fr) -> Fr { Fr.zero - a }

    public static func += (a: inout Fr, b: Fr) { a = a + b }
    public static func -= (a: inout Fr, b: Fr) { a = a - b }
    public static func *= (a: inout Fr, b: Fr) { a = a * b }

    /// self².
    public func squared() -> Fr { withLimbs(self, self) { o, a, _ in prover_fr_sqr(o, a) } }

    /// 2·self.
    public func doubled() -> Fr { self + self }

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
