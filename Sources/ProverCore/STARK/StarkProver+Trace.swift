import Synchronization

/// Trace low-degree extension and the Merkle commitments over LDE columns.
///
/// LDE columns are stored class-major (`StarkLayout.storageIndex`): the B·n points of the
/// coset split into B classes of n points, each a coset of the trace domain, so extending a
/// column is B coset NTTs of size n (which stay in cache) instead of one of size B·n.
extension StarkProver {
    /// Columns over the LDE domain (column-major, `width × ldeSize`, class-major within a
    /// column) and their coefficients (column-major, `width × traceLength`).
    struct ExtendedColumns {
        let values: FrBuffer
        let coefficients: FrBuffer
    }

    /// Interpolates each trace column and evaluates it on the LDE coset.
    func extendTrace(_ trace: AirTrace) throws(StarkError) -> ExtendedColumns {
        let n = layout.traceLength, w = layout.traceWidth
        let coefficients = FrBuffer(zeros: w * n)
        for c in 0..<w {
            trace.columns[c].withUnsafeBufferPointer { coefficients.base.advanced(by: c * n).update(from: $0.baseAddress!, count: n) }
        }
        try transformEach(count: w) { c, threads throws(FieldError) in
            try NTT.inverse(coefficients.slice((c * n)..<((c + 1) * n)), threads: threads)
        }
        return ExtendedColumns(values: try extend(coefficients, columns: w), coefficients: coefficients)
    }

    /// Evaluates `columns` polynomials of degree < n (column-major coefficients) on the LDE
    /// coset, class by class.
    func extend(_ coefficients: FrBuffer, columns: Int) throws(StarkError) -> FrBuffer {
        let n = layout.traceLength, m = layout.ldeSize, b = layout.blowup
        let values = FrBuffer(zeros: columns * m)
        let shifts = (0..<b).map { layout.classShift($0) }
        try transformEach(count: columns * b) { job, threads throws(FieldError) in
            let (c, r) = (job / b, job % b)
            let slot = values.slice((c * m + r * n)..<(c * m + (r + 1) * n))
            slot.baseAddress!.update(from: coefficients.base + c * n, count: n)
            try NTT.cosetForward(slot, shift: shifts[r], threads: threads)
        }
        return values
    }

    /// Runs `count` independent transforms: one after another with all threads each when
    /// they are large, side by side with one thread each when they are small.
    func transformEach(count: Int, _ body: @Sendable (Int, Int) throws(FieldError) -> Void) throws(StarkError) {
        if layout.traceLength >= NTT.parallelThreshold || threads == 1 {
            for i in 0..<count {
                try mapFieldError("NTT") { () throws(FieldError) in try body(i, threads) }
            }
            return
        }
        let failed = Mutex<FieldError?>(nil)
        Parallel.ranges(count, pieces: threads, grain: 1) { start, length in
            for i in start..<(start + length) {
                do throws(FieldError) {
                    try body(i, 1)
                } catch {
                    failed.withLock { first in if first == nil { first = error } }
                }
            }
        }
        if let error = failed.withLock({ $0 }) { throw StarkError.internalError("NTT: \(error)") }
    }

    /// Commits to LDE columns with one leaf per coset of F points: leaf j holds, for
    /// k = 0 ..< F, the `width` values at LDE position j + k·m/F. These are exactly the points
    /// one FRI query needs, so a query opens one leaf.
    func commitColumns(_ values: FrBuffer, width: Int) throws(StarkError) -> MerkleTree {
        let m = layout.ldeSize, f = layout.foldingFactor, stride = m / f
        let base = SendablePointer(values.base), layout = self.layout
        do {
            return try MerkleTree(leafCount: stride, leafWidth: f * width, threads: threads) { leaf, out in
                var o = 0
                for k in 0..<f {
                    let at = layout.storageIndex(leaf + k * stride)
                    for c in 0..<width {
                        out[o] = base.pointer[c * m + at]
                        o += 1
                    }
                }
            }
        } catch {
            throw StarkError.internalError("commitment: \(error)")
        }
    }

    /// The leaves `leaves` (sorted, distinct) of a `commitColumns` tree with their multi-opening.
    func openColumns(_ values: FrBuffer, width: Int, tree: MerkleTree, leaves: [Int]) throws(StarkError) -> StarkProof.Opening {
        let m = layout.ldeSize, f = layout.foldingFactor, stride = m / f
        var out: [Fr] = []
        out.reserveCapacity(leaves.count * f * width)
        for leaf in leaves {
            for k in 0..<f {
                let at = layout.storageIndex(leaf + k * stride)
                for c in 0..<width { out.append(values[c * m + at]) }
            }
        }
        do {
            return StarkProof.Opening(leafWidth: f * width, values: out, proof: try tree.open(indices: leaves))
        } catch {
            throw StarkError.internalError("opening: \(error)")
        }
    }

    /// Trace columns at z and z·ω, and the composition segments at z (Horner on the coefficients).
    func outOfDomainValues(
        z: Fr, traceCoefficients: FrBuffer, segmentCoefficients: FrBuffer
    ) throws(StarkError) -> (current: [Fr], next: [Fr], composition: [Fr]) {
        let n = layout.traceLength
        guard z.power(UInt64(n)) != .one, (z * layout.shift.inverse!).power(UInt64(layout.ldeSize)) != .one else {
            throw StarkError.internalError("the out-of-domain point fell in the trace or LDE domain")
        }
        let zNext = z * layout.traceGenerator
        func horner(_ buffer: FrBuffer, _ index: Int, at x: Fr) -> Fr {
            var acc = Fr.zero
            let p = buffer.base + index * n
            for i in stride(from: n - 1, through: 0, by: -1) { acc = acc * x + p[i] }
            return acc
        }
        let w = layout.traceWidth
        let current = (0..<w).map { horner(traceCoefficients, $0, at: z) }
        let next = (0..<w).map { horner(traceCoefficients, $0, at: zNext) }
        let composition = (0..<layout.segmentCount).map { horner(segmentCoefficients, $0, at: z) }
        return (current, next, composition)
    }
}
