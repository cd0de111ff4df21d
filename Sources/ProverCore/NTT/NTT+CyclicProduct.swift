import CFieldKernels

extension NTT {
    /// The cyclic convolution behind polynomial multiplication: on return `a` holds the
    /// coefficients of a·b mod (x^n − 1), canonical, and `b` is overwritten. `a` and `b` have the
    /// same power-of-two length n; only their first `aCount` and `bCount` entries may be nonzero.
    ///
    /// Cheaper than forward, forward, multiply, inverse through the public transforms:
    /// - the evaluations stay bit-reversed (DIF forward, DIT inverse: no reordering pass);
    /// - nothing is normalized between the steps (the transforms and the pointwise product work
    ///   on values below 2r or 4r, and only the result is reduced);
    /// - 1/n is applied to b's nonzero coefficients (bCount products) instead of to all n results;
    /// - an input whose upper half is zero skips the additions of the first layer.
    package static func cyclicProduct(_ a: UnsafeMutableBufferPointer<Fr>, _ b: UnsafeMutableBufferPointer<Fr>,
                                      aCount: Int, bCount: Int, threads: Int? = nil) throws(FieldError) {
        guard a.count == b.count else {
            throw FieldError.sizeMismatch("cyclic product of lengths \(a.count) and \(b.count)")
        }
        guard (0...a.count).contains(aCount), (0...b.count).contains(bCount) else {
            throw FieldError.sizeMismatch("nonzero counts \(aCount) and \(bCount) exceed the length \(a.count)")
        }
        let n = a.count
        let log = try logSize(n)
        guard n > 1 else {
            a[0] = a[0] * b[0]
            return
        }
        let threads = threads ?? defaultThreads(count: n)
        let nInverse = Fr(UInt64(n)).inverse!
        FrVector.scale(UnsafeMutableBufferPointer(rebasing: b[0..<bCount]), by: nInverse, threads: threads)
        decimateInFrequency(a, log: log, threads: threads, upperHalfZero: aCount <= n / 2, normalized: false)
        decimateInFrequency(b, log: log, threads: threads, upperHalfZero: bCount <= n / 2, normalized: false)
        let pa = SendablePointer(FrVector.limbs(a)), pb = SendablePointer(FrVector.limbs(b))
        Parallel.ranges(n, pieces: threads, grain: FrVector.parallelGrain) { start, count in
            prover_fr_vec_mul_lazy(pa.pointer + 4 * start, pa.pointer + 4 * start, pb.pointer + 4 * start, count)
        }
        decimateInTime(a, log: log, inverse: true, threads: threads)
    }
}
