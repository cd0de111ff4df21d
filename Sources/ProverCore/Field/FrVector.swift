import CFieldKernels

/// Element-wise operations over contiguous `Fr` storage. Nothing is allocated per element;
/// large inputs may split across threads (`threads`, default 1).
public enum FrVector {
    /// Below this many elements a call stays on one thread.
    static let parallelGrain = 1 << 13

    @inline(__always)
    static func limbs(_ p: UnsafeMutableBufferPointer<Fr>) -> UnsafeMutablePointer<UInt64> {
        UnsafeMutableRawPointer(p.baseAddress!).assumingMemoryBound(to: UInt64.self)
    }

    @inline(__always)
    static func limbs(_ p: UnsafeBufferPointer<Fr>) -> UnsafePointer<UInt64> {
        UnsafeRawPointer(p.baseAddress!).assumingMemoryBound(to: UInt64.self)
    }

    private static func checkCounts(_ a: Int, _ b: Int, _ out: Int) throws(FieldError) {
        guard a == b, b == out else { throw FieldError.sizeMismatch("lengths \(a), \(b) and output \(out) differ") }
    }

    /// out[i] = a[i] · b[i]. `out` may be `a` or `b`.
    public static func multiply(_ a: UnsafeBufferPointer<Fr>, _ b: UnsafeBufferPointer<Fr>, into out: UnsafeMutableBufferPointer<Fr>, threads: Int = 1) throws(FieldError) {
        try checkCounts(a.count, b.count, out.count)
        guard !a.isEmpty else { return }
        let (pa, pb, po) = (SendablePointer(limbs(a)), SendablePointer(limbs(b)), SendablePointer(limbs(out)))
        Parallel.ranges(a.count, pieces: threads, grain: parallelGrain) { s, c in
            prover_fr_vec_mul(po.pointer + 4 * s, pa.pointer + 4 * s, pb.pointer + 4 * s, c)
        }
    }

    /// out[i] = a[i] + b[i].
    public static func add(_ a: UnsafeBufferPointer<Fr>, _ b: UnsafeBufferPointer<Fr>, into out: UnsafeMutableBufferPointer<Fr>, threads: Int = 1) throws(FieldError) {
        try checkCounts(a.count, b.count, out.count)
        guard !a.isEmpty else { return }
        let (pa, pb, po) = (SendablePointer(limbs(a)), SendablePointer(limbs(b)), SendablePointer(limbs(out)))
        Parallel.ranges(a.count, pieces: threads, grain: parallelGrain) { s, c in
            prover_fr_vec_add(po.pointer + 4 * s, pa.pointer + 4 * s, pb.pointer + 4 * s, c)
        }
    }

    /// out[i] = a[i] − b[i].
    public static func subtract(_ a: UnsafeBufferPointer<Fr>, _ b: UnsafeBufferPointer<Fr>, into out: UnsafeMutableBufferPointer<Fr>, threads: Int = 1) throws(FieldError) {
        try checkCounts(a.count, b.count, out.count)
        guard !a.isEmpty else { return }
        let (pa, pb, po) = (SendablePointer(limbs(a)), SendablePointer(limbs(b)), SendablePointer(limbs(out)))
        Parallel.ranges(a.count, pieces: threads, grain: parallelGrain) { s, c in
            prover_fr_vec_sub(po.pointer + 4 * s, pa.pointer + 4 * s, pb.pointer + 4 * s, c)
        }
    }

    /// values[i] = values[i] · s.
    public static func scale(_ values: UnsafeMutableBufferPointer<Fr>, by s: Fr, threads: Int = 1) {
        guard !values.isEmpty else { return }
        let p = SendablePointer(limbs(values))
        Parallel.ranges(values.count, pieces: threads, grain: parallelGrain) { start, c in
            var s = s
            withUnsafePointer(to: &s.limbs) { sp in
                let base = p.pointer + 4 * start
                prover_fr_vec_scale(base, base, UnsafeRawPointer(sp).assumingMemoryBound(to: UInt64.self), c)
            }
        }
    }

    /// values[i] = values[i] · s^i.
    public static func multiplyByPowers(_ values: UnsafeMutableBufferPointer<Fr>, of s: Fr, threads: Int = 1) {
        guard !values.isEmpty else { return }
        let p = SendablePointer(limbs(values))
        Parallel.ranges(values.count, pieces: threads, grain: parallelGrain) { start, c in
            var step = s
            var first = s.power(UInt64(start))
            let base = p.pointer + 4 * start
            withUnsafePointer(to: &step.limbs) { sp in
                withUnsafePointer(to: &first.limbs) { fp in
                    prover_fr_vec_mul_powers(base, base, UnsafeRawPointer(sp).assumingMemoryBound(to: UInt64.self),
                                             UnsafeRawPointer(fp).assumingMemoryBound(to: UInt64.self), c)
                }
            }
        }
    }

    /// Batch inversion in place; zeros stay zero (see `Fr.batchInvert(_:)`).
    public static func invert(_ values: UnsafeMutableBufferPointer<Fr>) {
        Fr.batchInvert(values)
    }
}
