import CFieldKernels
import CGMP

extension Fr {
    /// The multiplicative inverse, or nil for zero.
    ///
    /// GMP's extended GCD inverts the Montgomery limbs as a plain integer (a = x·R gives
    /// a⁻¹ = x⁻¹·R⁻¹); one Montgomery product with R³ turns that into x⁻¹·R. The mpz values
    /// live on the stack, so nothing is allocated.
    public var inverse: Fr? {
        if isZero { return nil }
        var input = limbs
        var output: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let size: Int32 = limbs.3 != 0 ? 4 : limbs.2 != 0 ? 3 : limbs.1 != 0 ? 2 : 1
        let ok = withUnsafeMutablePointer(to: &input) { inPtr in
            withUnsafeMutablePointer(to: &output) { outPtr in
                var a = __mpz_struct(
                    _mp_alloc: 4, _mp_size: size,
                    _mp_d: UnsafeMutableRawPointer(inPtr).assumingMemoryBound(to: mp_limb_t.self))
                // Eight limbs of room: more than the result (< r) can need, so GMP never
                // tries to reallocate this stack buffer.
                var result = __mpz_struct(
                    _mp_alloc: 8, _mp_size: 0,
                    _mp_d: UnsafeMutableRawPointer(outPtr).assumingMemoryBound(to: mp_limb_t.self))
                return __gmpz_invert(&result, &a, Fr.modulus.raw) != 0
            }
        }
        guard ok else { return nil }
        return Fr(montgomeryLimbs: (output.0, output.1, output.2, output.3)) * Fr(montgomeryLimbs: Fr.montgomeryR3)
    }

    /// The inverse by Fermat's little theorem, x^(r-2): slower than `inverse`, kept as a
    /// second, independent path for tests and benchmarks.
    public var inverseByExponentiation: Fr? {
        isZero ? nil : power(limbs: [0x43e1_f593_efff_ffff, 0x2833_e848_79b9_7091, 0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029])
    }

    /// Replaces every nonzero element by its inverse with Montgomery's trick (one inversion
    /// and three multiplications per element). **Zeros are left as zero** rather than
    /// rejected, so callers with vanishing denominators can check for them afterwards.
    public static func batchInvert(_ values: UnsafeMutableBufferPointer<Fr>) {
        let n = values.count
        guard n > 0, let base = values.baseAddress else { return }
        let prefix = UnsafeMutableBufferPointer<Fr>.allocate(capacity: n)
        defer { prefix.deallocate() }
        var total = Fr.zero
        let a = UnsafeMutableRawPointer(base).assumingMemoryBound(to: UInt64.self)
        let p = UnsafeMutableRawPointer(prefix.baseAddress!).assumingMemoryBound(to: UInt64.self)
        withUnsafeMutablePointer(to: &total.limbs) { t in
            prover_fr_prefix_products(p, a, n, UnsafeMutableRawPointer(t).assumingMemoryBound(to: UInt64.self))
        }
        // total is a product of nonzero elements of a field, so it is invertible.
        var inv = total.inverse ?? Fr.one
        withUnsafePointer(to: &inv.limbs) { i in
            prover_fr_batch_inverse_finish(a, a, p, UnsafeRawPointer(i).assumingMemoryBound(to: UInt64.self), n)
        }
    }

    /// Batch inversion of an array; zeros stay zero (see `batchInvert(_:)`).
    public static func batchInverse(_ values: [Fr]) -> [Fr] {
        var copy = values
        copy.withUnsafeMutableBufferPointer { batchInvert($0) }
        return copy
    }
}
