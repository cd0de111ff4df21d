import CFieldKernels

/// Number-theoretic transforms over `Fr` on power-of-two domains (up to 2^28).
///
/// `forward` maps n coefficients to the evaluations at ω⁰…ω^(n−1) in natural order, where ω is
/// the primitive n-th root `Fr.rootOfUnity(logOrder:)`; `inverse` undoes it. Transforms run
/// in place on contiguous storage and allocate only the shared twiddle tables. Sizes of at
/// least `parallelThreshold` split across `threads` (default: all cores): each thread first
/// transforms its own contiguous slice, then the last log2(threads) layers split every
/// butterfly block by offset.
public enum NTT {
    /// Sizes below this run on the calling thread unless `threads` is given.
    public static let parallelThreshold = 1 << 14

    /// The default number of threads for a transform of `count` elements.
    public static func defaultThreads(count: Int) -> Int {
        count >= parallelThreshold ? ProcessorInfo.activeCores : 1
    }

    /// log2 of `count`, or a typed error when it is not a supported power of two.
    package static func logSize(_ count: Int) throws(FieldError) -> Int {
        guard count > 0, count & (count - 1) == 0 else {
            throw FieldError.unsupportedSize("transform size \(count) is not a power of two")
        }
        let log = count.trailingZeroBitCount
        guard log <= Fr.twoAdicity else {
            throw FieldError.unsupportedSize("transform size 2^\(log) exceeds the field's two-adicity 2^\(Fr.twoAdicity)")
        }
        return log
    }

    /// Coefficients → evaluations on the subgroup of order `values.count`.
    public static func forward(_ values: UnsafeMutableBufferPointer<Fr>, threads: Int? = nil) throws(FieldError) {
        let log = try logSize(values.count)
        transform(values, log: log, inverse: false, threads: threads ?? defaultThreads(count: values.count))
    }

    /// Evaluations on the subgroup → coefficients.
    public static func inverse(_ values: UnsafeMutableBufferPointer<Fr>, threads: Int? = nil) throws(FieldError) {
        let log = try logSize(values.count)
        let threads = threads ?? defaultThreads(count: values.count)
        transform(values, log: log, inverse: true, threads: threads)
        let nInverse = Fr(UInt64(values.count)).inverse!
        FrVector.scale(values, by: nInverse, threads: threads)
    }

    /// Coefficients → evaluations on the coset shift·⟨ω⟩.
    public static func cosetForward(_ values: UnsafeMutableBufferPointer<Fr>, shift: Fr, threads: Int? = nil) throws(FieldError) {
        let log = try logSize(values.count)
        let threads = threads ?? defaultThreads(count: values.count)
        FrVector.multiplyByPowers(values, of: shift, threads: threads)
        transform(values, log: log, inverse: false, threads: threads)
    }

    /// Evaluations on the coset shift·⟨ω⟩ → coefficients.
    public static func cosetInverse(_ values: UnsafeMutableBufferPointer<Fr>, shift: Fr, threads: Int? = nil) throws(FieldError) {
        guard let shiftInverse = shift.inverse else { throw FieldError.divisionByZero }
        try inverse(values, threads: threads)
        FrVector.multiplyByPowers(values, of: shiftInverse, threads: threads ?? defaultThreads(count: values.count))
    }

    /// Array conveniences.
    public static func forward(_ values: inout [Fr], threads: Int? = nil) throws(FieldError) {
        try values.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<Fr>) throws(FieldError) in try forward(b, threads: threads) }
    }

    public static func inverse(_ values: inout [Fr], threads: Int? = nil) throws(FieldError) {
        try values.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<Fr>) throws(FieldError) in try inverse(b, threads: threads) }
    }

    public static func cosetForward(_ values: inout [Fr], shift: Fr, threads: Int? = nil) throws(FieldError) {
        try values.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<Fr>) throws(FieldError) in try cosetForward(b, shift: shift, threads: threads) }
    }

    public static func cosetInverse(_ values: inout [Fr], shift: Fr, threads: Int? = nil) throws(FieldError) {
        try values.withUnsafeMutableBufferPointer { (b: inout UnsafeMutableBufferPointer<Fr>) throws(FieldError) in try cosetInverse(b, shift: shift, threads: threads) }
    }

    /// Coefficients (natural order) → evaluations in bit-reversed order: index i holds the
    /// value at ω^bitreverse(i). Skips the bit-reversal pass; pair with `inverseBitReversed`
    /// when the order of the evaluations does not matter (pointwise products).
    public static func forwardBitReversed(_ values: UnsafeMutableBufferPointer<Fr>, threads: Int? = nil) throws(FieldError) {
        let log = try logSize(values.count)
        decimateInFrequency(values, log: log, threads: threads ?? defaultThreads(count: values.count))
    }

    /// Evaluations in bit-reversed order → coefficients in natural order.
    public static func inverseBitReversed(_ values: UnsafeMutableBufferPointer<Fr>, threads: Int? = nil) throws(FieldError) {
        let log = try logSize(values.count)
        let threads = threads ?? defaultThreads(count: values.count)
        decimateInTime(values, log: log, inverse: true, threads: threads)
        FrVector.scale(values, by: Fr(UInt64(values.count)).inverse!, threads: threads)
    }

    /// The largest power of two T with T <= requested and T² <= n: each thread owns a slice of
    /// n/T elements, and the layers spanning slices still give each thread >= 1 offset.
    private static func threadCount(_ requested: Int, n: Int) -> Int {
        var threads = 1
        while threads * 2 <= max(1, requested), (threads * 2) * (threads * 2) <= n { threads *= 2 }
        return threads
    }

    /// The natural-order transform: bit-reverse, then decimation in time.
    private static func transform(_ values: UnsafeMutableBufferPointer<Fr>, log: Int, inverse: Bool, threads: Int) {
        guard values.count > 1 else { return }
        prover_fr_bit_reverse(UnsafeMutableRawPointer(values.baseAddress!).assumingMemoryBound(to: UInt64.self), values.count, UInt32(log))
        decimateInTime(values, log: log, inverse: inverse, threads: threads)
    }

    /// Radix-2 DIT on bit-reversed input, natural output. With T threads each transforms its own
    /// slice, then the last log2 T layers split every block's butterflies by offset.
    /// `normalized: false` leaves the values in [0, 4r) for a caller that reduces them itself.
    static func decimateInTime(_ values: UnsafeMutableBufferPointer<Fr>, log: Int, inverse: Bool, threads requested: Int, normalized: Bool = true) {
        let n = values.count
        guard n > 1 else { return }
        let table = TwiddleTable.shared(logSize: log, inverse: inverse)
        let base = SendablePointer(UnsafeMutableRawPointer(values.baseAddress!).assumingMemoryBound(to: UInt64.self))
        let twiddles = SendablePointer(UnsafeRawPointer(table.powers.baseAddress!).assumingMemoryBound(to: UInt64.self))
        let threads = threadCount(requested, n: n)
        let slice = n / threads
        Parallel.forEach(threads) { t in
            prover_fr_ntt_dit(base.pointer + 4 * t * slice, slice, twiddles.pointer, threads)
        }
        var half = slice
        while half < n {
            let stride = n / (2 * half), span = half / threads
            Parallel.forEach(threads) { [half] t in
                prover_fr_ntt_dit_layer(base.pointer, n, half, twiddles.pointer, stride, t * span, (t + 1) * span)
            }
            half *= 2
        }
        if normalized { normalize(base, count: n, threads: threads) }
    }

    /// The butterflies reduce lazily (values end in [0, 4r)); this makes them canonical.
    private static func normalize(_ base: SendablePointer<UInt64>, count: Int, threads: Int) {
        Parallel.ranges(count, pieces: threads, grain: 1 << 12) { start, length in
            prover_fr_normalize(base.pointer + 4 * start, length)
        }
    }

    /// Radix-2 DIF on natural input, bit-reversed output: the mirror image of `decimateInTime`
    /// (the first log2 T layers split by offset, then each thread finishes its own slice).
    /// `upperHalfZero`: the caller promises the upper half is zero, and the first layer only
    /// multiplies (a zero-padded polynomial). `normalized: false` leaves the values in [0, 2r).
    static func decimateInFrequency(_ values: UnsafeMutableBufferPointer<Fr>, log: Int, threads requested: Int,
                                    upperHalfZero: Bool = false, normalized: Bool = true) {
        let n = values.count
        guard n > 1 else { return }
        let table = TwiddleTable.shared(logSize: log, inverse: false)
        let base = SendablePointer(UnsafeMutableRawPointer(values.baseAddress!).assumingMemoryBound(to: UInt64.self))
        let twiddles = SendablePointer(UnsafeRawPointer(table.powers.baseAddress!).assumingMemoryBound(to: UInt64.self))
        let threads = threadCount(requested, n: n)
        let slice = n / threads
        var half = n / 2
        if upperHalfZero {
            let span = half / threads
            Parallel.forEach(threads) { [half] t in
                prover_fr_ntt_dif_layer_upper_zero(base.pointer, half, twiddles.pointer, 1, t * span, (t + 1) * span)
            }
            if slice == n {
                // One thread: what is left is two independent transforms of the halves.
                prover_fr_ntt_dif(base.pointer, half, twiddles.pointer, 2)
                prover_fr_ntt_dif(base.pointer + 4 * half, half, twiddles.pointer, 2)
                if normalized { normalize(base, count: n, threads: threads) }
                return
            }
            half /= 2
        }
        while half >= slice {
            let stride = n / (2 * half), span = half / threads
            Parallel.forEach(threads) { [half] t in
                prover_fr_ntt_dif_layer(base.pointer, n, half, twiddles.pointer, stride, t * span, (t + 1) * span)
            }
            half /= 2
        }
        Parallel.forEach(threads) { t in
            prover_fr_ntt_dif(base.pointer + 4 * t * slice, slice, twiddles.pointer, threads)
        }
        if normalized { normalize(base, count: n, threads: threads) }
    }
}
