/// The constraint composition polynomial (docs/stark.md, "Composition"):
///
///   H(x) = Σ_k α^k·C_k(x)·(x − ω^{n−1})/(x^n − 1) + Σ_b α^{K+b}·(T_{c_b}(x) − v_b)/(x − ω^{r_b})
///
/// split into S segments of degree < n (H = Σ_j x^{jn}·H_j), each extended to the LDE coset.
extension StarkProver {
    /// H has degree < S·n, so its values on S of the B classes of the LDE coset determine it:
    /// on class r (the points x = shift·ω_m^r·ω_n^t) x^n is the constant c_r = shift^n·ω_B^r, so
    /// H restricted there equals G_r = Σ_j c_r^j·H_j, a polynomial of degree < n. The prover
    /// evaluates the constraints on classes 0 ..< S only, interpolates each G_r with a size-n
    /// coset NTT, and recovers the segments H_j by inverting the S×S Vandermonde matrix (c_r^j).
    func composeConstraints(traceLDE: FrBuffer, publicInputs: [Fr], alpha: Fr) throws(StarkError) -> ExtendedColumns {
        let n = layout.traceLength, m = layout.ldeSize, b = layout.blowup, s = layout.segmentCount
        let k = layout.constraintCount
        let coefficients = StarkTranscript.powers(of: alpha, count: k + layout.boundaryCount)
        let periodic = try mapFieldError("periodic columns") { () throws(FieldError) in
            try program.periodicEvaluations(blowup: b, shift: layout.shift)
        }
        let boundaryRows = groupBoundaries(publicInputs: publicInputs, coefficients: Array(coefficients[k...]))
        let classes = FrBuffer(zeros: s * n)
        for r in 0..<s {
            // Class r reads LDE rows r, r + B, r + 2B, …: periodic entry (r + B·t) mod (c·B).
            let classPeriodic = periodic.map { full in (0..<(full.count / b)).map { t in full[(r + b * t) % full.count] } }
            let view = AirTraceView(base: traceLDE.base + r * n, rowCount: n, width: layout.traceWidth, rowStride: 1, columnStride: m)
            let out = classes.slice((r * n)..<((r + 1) * n))
            evaluator.evaluate(
                rows: 0..<n, trace: view, nextRowOffset: 1, periodic: classPeriodic, publicInputs: publicInputs,
                coefficients: Array(coefficients[0..<k]), into: out, threads: threads)
            divideByTransitionVanishing(out, classIndex: r)
            addBoundaryQuotients(out, classIndex: r, traceLDE: traceLDE, rows: boundaryRows)
        }
        let shifts = (0..<s).map { layout.classShift($0) }
        try transformEach(count: s) { r, threads throws(FieldError) in
            try NTT.cosetInverse(classes.slice((r * n)..<((r + 1) * n)), shift: shifts[r], threads: threads)
        }
        let segments = separateSegments(classes)
        return ExtendedColumns(values: try extend(segments, columns: s), coefficients: segments)
    }

    /// H_j = Σ_r V⁻¹[j][r]·G_r coefficient by coefficient, with V[r][j] = c_r^j.
    private func separateSegments(_ classes: FrBuffer) -> FrBuffer {
        let n = layout.traceLength, s = layout.segmentCount
        let omegaB = try! Fr.rootOfUnity(logOrder: layout.blowup.trailingZeroBitCount)
        let shiftN = layout.shift.power(UInt64(n))
        let nodes = (0..<s).map { shiftN * omegaB.power(UInt64($0)) }
        let inverse = Self.invertVandermonde(nodes)
        if s == 1 { return classes }  // V = [1]
        let segments = FrBuffer(zeros: s * n)
        let input = SendablePointer(classes.base), output = SendablePointer(segments.base)
        Parallel.ranges(n, pieces: threads, grain: 1024) { start, length in
            for i in start..<(start + length) {
                for j in 0..<s {
                    var acc = Fr.zero
                    for r in 0..<s { acc += inverse[j * s + r] * input.pointer[r * n + i] }
                    output.pointer[j * n + i] = acc
                }
            }
        }
        return segments
    }

    /// The inverse of V[r][j] = nodes[r]^j (row-major, S×S) by Gauss–Jordan elimination;
    /// the nodes are distinct, so V is invertible.
    static func invertVandermonde(_ nodes: [Fr]) -> [Fr] {
        let s = nodes.count
        var a = [Fr](repeating: .zero, count: s * s), inv = [Fr](repeating: .zero, count: s * s)
        for r in 0..<s {
            var p = Fr.one
            for j in 0..<s {
                a[r * s + j] = p
                p = p * nodes[r]
            }
            inv[r * s + r] = .one
        }
        for col in 0..<s {
            let pivotRow = (col..<s).first { !a[$0 * s + col].isZero }!
            if pivotRow != col {
                for j in 0..<s {
                    a.swapAt(pivotRow * s + j, col * s + j)
                    inv.swapAt(pivotRow * s + j, col * s + j)
                }
            }
            let scale = a[col * s + col].inverse!
            for j in 0..<s {
                a[col * s + j] *= scale
                inv[col * s + j] *= scale
            }
            for r in 0..<s where r != col && !a[r * s + col].isZero {
                let f = a[r * s + col]
                for j in 0..<s {
                    a[r * s + j] -= f * a[col * s + j]
                    inv[r * s + j] -= f * inv[col * s + j]
                }
            }
        }
        return inv
    }

    /// Calls `body(start, length, x)` over ranges of LDE class `r` on all threads, where x is
    /// the point of slot `start` (shift·ω_m^r·ω_n^start).
    func forEachClassRange(_ r: Int, _ body: @Sendable (Int, Int, Fr) -> Void) {
        let omega = layout.traceGenerator, shift = layout.classShift(r)
        Parallel.ranges(layout.traceLength, pieces: threads, grain: 4096) { start, length in
            body(start, length, shift * omega.power(UInt64(start)))
        }
    }

    /// Multiplies class r by (x − ω^{n−1})/(x^n − 1): transitions hold on every row but the
    /// last. On class r, x^n is the constant shift^n·ω_B^r, so one inversion suffices.
    private func divideByTransitionVanishing(_ values: UnsafeMutableBufferPointer<Fr>, classIndex r: Int) {
        let n = layout.traceLength
        let omegaB = try! Fr.rootOfUnity(logOrder: layout.blowup.trailingZeroBitCount)
        let inverse = (layout.shift.power(UInt64(n)) * omegaB.power(UInt64(r)) - .one).inverse!
        let lastRow = layout.traceGenerator.power(UInt64(n - 1))
        let omega = layout.traceGenerator
        let out = SendablePointer(values.baseAddress!)
        forEachClassRange(r) { start, length, first in
            var x = first
            for i in start..<(start + length) {
                out.pointer[i] = out.pointer[i] * ((x - lastRow) * inverse)
                x = x * omega
            }
        }
    }

    /// The boundary assertions grouped by row, sorted by row: each row's columns with their
    /// random coefficients, and Σ coefficient·value (the part of the numerator that is constant).
    struct BoundaryRow {
        let row: Int
        let terms: [(column: Int, coefficient: Fr)]
        let constant: Fr
    }

    private func groupBoundaries(publicInputs: [Fr], coefficients: [Fr]) -> [BoundaryRow] {
        var byRow: [Int: [(column: Int, coefficient: Fr)]] = [:]
        var constants: [Int: Fr] = [:]
        for (b, boundary) in program.boundaries.enumerated() {
            byRow[boundary.row, default: []].append((boundary.column, coefficients[b]))
            constants[boundary.row, default: .zero] += coefficients[b] * program.value(of: boundary, publicInputs: publicInputs)
        }
        return byRow.keys.sorted().map { BoundaryRow(row: $0, terms: byRow[$0]!, constant: constants[$0]!) }
    }

    /// Adds Σ_b coefficient_b·(T_{c_b}(x) − v_b)/(x − ω^{r_b}) on class r, one batch inversion
    /// over the class per distinct asserted row.
    private func addBoundaryQuotients(
        _ values: UnsafeMutableBufferPointer<Fr>, classIndex r: Int, traceLDE: FrBuffer, rows: [BoundaryRow]
    ) {
        let n = layout.traceLength, m = layout.ldeSize, omega = layout.traceGenerator
        let out = SendablePointer(values.baseAddress!), lde = SendablePointer(traceLDE.base + r * n)
        for boundary in rows {
            let point = layout.traceGenerator.power(UInt64(boundary.row))
            let (terms, constant) = (boundary.terms, boundary.constant)
            forEachClassRange(r) { start, length, first in
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
        let n = layout.traceLength, b = layout.blowup, omega = layout.traceGenerator
        let result = SendablePointer(out.base), trace = SendablePointer(traceLDE.base)
        let segments = SendablePointer(compositionLDE.base)
        for r in 0..<b {
            forEachClassRange(r) { start, length, first in
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
                        let slot = r * n + start + done + i
                        var atZ = offsetZ, atNext = offsetNext
                        for c in 0..<w {
                            let t = trace.pointer[c * m + slot]
                            atZ += g[c] * t
                            atNext += g[w + c] * t
                        }
                        for j in 0..<s { atZ += g[2 * w + j] * segments.pointer[j * m + slot] }
                        // Natural position of class r, slot t: r + B·t.
                        result.pointer[r + b * (start + done + i)] = atZ * inverses[i] + atNext * inverses[count + i]
                    }
                    done += count
                }
            }
        }
        return out
    }
}
