import CGMP

/// The 4-limb Montgomery product computed with GMP's mpn layer: `mpn_mul_n` for the full
/// product, then four `mpn_addmul_1` reduction rounds and a final conditional subtraction.
///
/// This is the baseline the `Fr` fast path must beat (`gmp.mont_mul` in the benchmarks); it
/// returns the same Montgomery-form result as `Fr.*`, which the tests check.
public enum GMPMontgomery {
    /// a·b·2^-256 mod r for Montgomery-form inputs.
    public static func multiply(_ a: Fr, _ b: Fr) -> Fr {
        var a = a.limbs, b = b.limbs
        // Nine limbs: the 8-limb product plus room for the reduction's final carry.
        var t: (UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt, UInt) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
        var modulus = Fr.modulusLimbs
        var out: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutablePointer(to: &t) { tp in
            let tl = UnsafeMutableRawPointer(tp).assumingMemoryBound(to: mp_limb_t.self)
            withUnsafePointer(to: &a) { ap in
                withUnsafePointer(to: &b) { bp in
                    __gmpn_mul_n(tl, UnsafeRawPointer(ap).assumingMemoryBound(to: mp_limb_t.self),
                                 UnsafeRawPointer(bp).assumingMemoryBound(to: mp_limb_t.self), 4)
                }
            }
            withUnsafePointer(to: &modulus) { mp in
                let m = UnsafeRawPointer(mp).assumingMemoryBound(to: mp_limb_t.self)
                for i in 0..<4 {
                    let q = tl[i] &* 0xc2e1_f593_efff_ffff  // -r^-1 mod 2^64
                    let carry = __gmpn_addmul_1(tl + i, m, 4, q)
                    _ = __gmpn_add_1(tl + i + 4, tl + i + 4, 5 - i, carry)
                }
                // The result t[4..<8] (plus t[8]) is below 2r: subtract r once if needed.
                if tl[8] != 0 || __gmpn_cmp(tl + 4, m, 4) >= 0 {
                    _ = __gmpn_sub_n(tl + 4, tl + 4, m, 4)
                }
            }
            out = (UInt64(tl[4]), UInt64(tl[5]), UInt64(tl[6]), UInt64(tl[7]))
        }
        return Fr(montgomeryLimbs: out)
    }
}

/// `mpz_mul` followed by `mpz_mod` on preallocated integers: the plain GMP way to multiply
/// modulo r (`gmp.mpz_mulmod` in the benchmarks).
public final class GMPModularMultiplier: @unchecked Sendable {
    private let product = GMPInteger()
    private let modulus = Fr.modulus

    public init() {
        __gmpz_realloc2(product.raw, 512)
    }

    /// result = a·b mod r, written into `result` (not thread-safe: one multiplier per thread).
    public func multiply(_ a: GMPInteger, _ b: GMPInteger, into result: GMPInteger) {
        __gmpz_mul(product.raw, a.raw, b.raw)
        __gmpz_mod(result.raw, product.raw, modulus.raw)
    }
}
