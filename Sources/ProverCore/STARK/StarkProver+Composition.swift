/// The constraint composition polynomial (docs/stark.md, "Composition"):
///
///   H(x) = Σ_k α^k·C_k(x)·(x − ω^{n−1})/(x^n − 1) + Σ_b α^{K+b}·(T_{c_b}(x) − v_b)/(x − ω^{r_b})
///
/// evaluated on the LDE coset, interpolated, split into S segments of degree < n
/// (H = Σ_j x^{jn}·H_j) and extended again.
extension StarkProver {
    func composeConstraints(traceLDE: FrBuffer, publicInputs: [Fr], alpha: Fr) throws(StarkError) -> ExtendedColumns {
        let n = layout.traceLength, m = layout.ldeSize, k = layout.constraintCount
        let coefficients = StarkTranscript.powers(of: alpha, count: k + layout.boundaryCount)
        let evaluations = FrBuffer(zeros: m)
        let periodic = try mapFieldError("periodic columns") { () throws(FieldError) in
            try program.periodicEvaluations(blowup: layout.blowup, shift: layout.shift)
        }
        evaluator.evaluate(
            rows: 0..<m, trace: .columnMajor(traceLDE.base, rowCount: m, width: layout.traceWidth),
            nextRowOffset: layout.blowup, periodic: periodic, publicInputs: publicInputs,
            coefficients: Array(coefficients[0..<k]), into: evaluations.buffer, threads: threads)
        divideByTransitionVanishing(evaluations)
        addBoundaryQuotients(
            evaluations, traceLDE: traceLDE, publicInputs: publicInputs, coefficients: Array(coefficients[k...]))

        try mapFieldError("composition interpolation") { () throws(FieldError) in
            try NTT.cosetInverse(evaluations.buffer, shift: layout.shift, threads: threads)
        }
        let bound = layout.segmentCount * n
        for i in bound..<m where !evaluations[i].isZero && !options.skipsStatementChecks {
            throw StarkError.invalidStatement(
                "the composition polynomial has a coefficient at degree \(i) ≥ \(bound): the trace does not satisfy the constraints")
        }
        // Segment j's coefficients are evaluations[j·n ..< (j+1)·n]: already column-major S × n.
        return ExtendedColumns(values: try extend(evaluations, columns: layout.segmentCount), coefficients: evaluations)
    }

    /// Calls `body(start, length, x)` over ranges of the LDE domain on all threads, where x is
    /// the domain point at `start` (shift·ω_m^start).
    func forEachLDERange(_ body: @Sendable (Int, Int, Fr) -> Void) {
        let omega = layout.ldeGenerator, shift = layout.shift
        Parallel.ranges(layout.ldeSize, pieces: threads, grain: 4096) { start, length in
            body(start, length, shift * omega.power(UInt64(start)))
        }
    }

    /// Multiplies by (x − ω^{n−1})/(x^n − 1): transitions hold on every row but the last.
    /// On the coset, x^n = shift^n·ω_B^(i mod B) takes only B values, so B inversions suffice.
    private func divideByTransitionVanishing(_ values: FrBuffer) {
        let n = layout.traceLength, b = layout.blowup
        let omegaB = try! Fr.rootOfUnity(logOrder: b.trailingZeroBitCount)
        let shiftN = layout.shift.power(UInt64(n))
        let inverses = Fr.batchInverse((0..<b).map { shiftN * omegaB.power(UInt64($0)) - .one })
        let lastRow = layout.traceGenerator.power(UInt64(n - 1))
        let omega = layout.ldeGenerator, mask = b - 1
        let out = SendablePointer(values.base)
        forEachLDERange { start, length, first in
            var x = first
            for i in start..<(start + length) {
                out.pointer[i] = out.pointer[i] * ((x - lastRow) * inverses[i & mask])
                x = x * omega
            }
        }
    }

    /// Adds Σ_b coefficient_b·(T_{c_b}(x) − v_b)/(x − ω^{r_b}), grouping assertions by row so
    /// each distinct row costs one batch inversion over the domain.
    private func addBoundaryQuotients(_ values: FrBuffer, traceLDE: FrBuffer, publicInputs: [Fr], coefficients: [Fr]) {
        var byRow: [Int: [(column: Int, coefficient: Fr)]] = [:]
        var constants: [Int: Fr] = [:]
        for (b, boundary) in program.boundaries.enumerated() {
            byRow[boundary.row, default: []].append((boundary.column, coefficients[b]))
            constants[boundary.row, default: .zero] += coefficients[b] * program.value(of: boundary, publicInputs: publicInputs)
        }
        let m = layout.ldeSize, omega = layout.ldeGenerator
        let out = SendablePointer(values.base), lde = SendablePointer(traceLDE.base)
        for (row, terms) in byRow.sorted(by: { $0.key < $1.key }) {
            let point = layout.traceGenerator.power(UInt64(row))
            let constant = constants[row]!
            forEachLDERange { start, length, first in
                let denominators = UnsafeMutableBufferPointer<Fr>.allocate(capacity: length)
                defer { denominators.deallocate() }
                var x = first
                for i in 0..<length {
                    denominators[i] = x - point
                    x = x * omega
                }
                Fr.batchInvert(denominators)
                for i in 0..<length {
                    var numerator = Fr.zero - constant
                    for t in terms { numerator += t.coefficient * lde.pointer[t.column * m + start + i] }
                    out.pointer[start + i] += numerator * denominators[i]
                }
            }
        }
    }

    /// The DEEP composition polynomial on the LDE domain:
    ///
    ///   P(x) = Σ_c γ_c·(T_c(x) − T_c(z))/(x − z) + Σ_c γ_{W+c}·(T_c(x) − T_c(zω))/(x − zω)
    ///        + Σ_j γ_{2W+j}·(H_j(x) − H_j(z))/(x − z)
    ///
    /// of degree < n when every claimed value is right.
    func deepComposition(
        traceLDE: FrBuffer, compositionLDE: FrBuffer, z: Fr, ood: (current: [Fr], next: [Fr], composition: [Fr]), gamma: Fr
    ) -> FrBuffer {
        let w = layout.traceWidth, s = layout.segmentCount, m = layout.ldeSize
        let g = StarkTranscript.powers(of: gamma, count: 2 * w + s)
        var constantZ = Fr.zero, constantNext = Fr.zero
        for c in 0..<w {
            constantZ += g[c] * ood.current[c]
            constantNext += g[w + c] * ood.next[c]
        }
        for j in 0..<s { constantZ += g[2 * w + j] * ood.composition[j] }
        let zNext = z * layout.traceGenerator
        let (offsetZ, offsetNext) = (Fr.zero - constantZ, Fr.zero - constantNext)
        let out = FrBuffer(zeros: m)
        let result = SendablePointer(out.base), trace = SendablePointer(traceLDE.base)
        let segments = SendablePointer(compositionLDE.base), omega = layout.ldeGenerator
        forEachLDERange { start, length, first in
            let block = 1024
            let inverses = UnsafeMutableBufferPointer<Fr>.allocate(capacity: 2 * block)
            defer { inverses.deallocate() }
            var x = first, done = 0
            while done < length {
                let count = min(block, length - done)
                for i in 0..<count {
                    inverses[i] = x - z
                    inverses[count + i] = x - zNext
                    x = x * omega
                }
                Fr.batchInvert(UnsafeMutableBufferPointer(rebasing: inverses[0..<(2 * count)]))
                for i in 0..<count {
                    let row = start + done + i
                    var atZ = offsetZ, atNext = offsetNext
                    for c in 0..<w {
                        let t = trace.pointer[c * m + row]
                        atZ += g[c] * t
                        atNext += g[w + c] * t
                    }
                    for j in 0..<s { atZ += g[2 * w + j] * segments.pointer[j * m + row] }
                    result.pointer[row] = atZ * inverses[i] + atNext * inverses[count + i]
                }
                done += count
            }
        }
        return out
    }
}
