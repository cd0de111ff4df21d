/// Trace low-degree extension and the Merkle commitments over LDE columns.
extension StarkProver {
    /// Columns over the LDE domain (column-major, `width × ldeSize`) and their coefficients
    /// (column-major, `width × traceLength`).
    struct ExtendedColumns {
        let values: FrBuffer
        let coefficients: FrBuffer
    }

    /// Interpolates each trace column and evaluates it on the LDE coset.
    func extendTrace(_ trace: AirTrace) throws(StarkError) -> ExtendedColumns {
        let n = layout.traceLength, w = layout.traceWidth
        let coefficients = FrBuffer(zeros: w * n)
        for c in 0..<w {
            let column = coefficients.slice((c * n)..<((c + 1) * n))
            trace.columns[c].withUnsafeBufferPointer { column.baseAddress!.update(from: $0.baseAddress!, count: n) }
            try mapFieldError("trace interpolation") { () throws(FieldError) in try NTT.inverse(column, threads: threads) }
        }
        return ExtendedColumns(values: try extend(coefficients, columns: w), coefficients: coefficients)
    }

    /// Evaluates `columns` polynomials of degree < n (column-major coefficients) on the LDE coset.
    func extend(_ coefficients: FrBuffer, columns: Int) throws(StarkError) -> FrBuffer {
        let n = layout.traceLength, m = layout.ldeSize
        let values = FrBuffer(zeros: columns * m)
        for c in 0..<columns {
            values.base.advanced(by: c * m).update(from: coefficients.base.advanced(by: c * n), count: n)
            try mapFieldError("LDE") { () throws(FieldError) in
                try NTT.cosetForward(values.slice((c * m)..<((c + 1) * m)), shift: layout.shift, threads: threads)
            }
        }
        return values
    }

    /// Commits to LDE columns with one leaf per coset of F points: leaf j holds, for
    /// k = 0 ..< F, the `width` values at LDE position j + k·m/F. These are exactly the points
    /// one FRI query needs, so a query opens one leaf.
    func commitColumns(_ values: FrBuffer, width: Int) throws(StarkError) -> MerkleTree {
        let m = layout.ldeSize, f = layout.foldingFactor, stride = m / f
        let base = SendablePointer(values.base)
        do {
            return try MerkleTree(leafCount: stride, leafWidth: f * width, threads: threads) { leaf, out in
                var o = 0
                for k in 0..<f {
                    for c in 0..<width {
                        out[o] = base.pointer[c * m + leaf + k * stride]
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
                for c in 0..<width { out.append(values[c * m + leaf + k * stride]) }
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
