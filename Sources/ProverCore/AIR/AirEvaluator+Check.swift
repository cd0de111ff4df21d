/// Row-by-row checks of honest traces and the periodic columns over an LDE.
extension AirEvaluator {
    /// The value of every transition constraint on one row (see
    /// `AirProgram.evaluateTransitions`).
    public func evaluateTransitions(current: [Fr], next: [Fr], periodic: [Fr], publicInputs: [Fr]) -> [Fr] {
        program.evaluateTransitions(current: current, next: next, periodic: periodic, publicInputs: publicInputs)
    }

    /// Checks that `trace` satisfies the program: its shape, the public input count, every
    /// boundary assertion, and every transition constraint on rows 0..<length-1 (the last row
    /// has no successor; wrap-around is not constrained). Throws naming the first failing
    /// boundary, or the first failing row and constraint.
    ///
    /// Transitions are first evaluated on all cores as one random linear combination per row;
    /// a row whose combination is nonzero is then evaluated constraint by constraint. A
    /// violation hides from the combination with probability about 1/r per row.
    public func checkTrace(_ trace: AirTrace, publicInputs: [Fr], threads: Int? = nil) throws(AirError) {
        let n = program.traceLength
        guard trace.width == program.traceWidth, trace.columns.allSatisfy({ $0.count == n }) else {
            throw AirError.traceShape("trace is \(trace.width) columns × \(trace.length) rows, program wants \(program.traceWidth) × \(n)")
        }
        guard publicInputs.count == program.publicInputCount else {
            throw AirError.publicInputCount("\(publicInputs.count) public inputs, program wants \(program.publicInputCount)")
        }
        for (k, b) in program.boundaries.enumerated() {
            let want = program.value(of: b, publicInputs: publicInputs)
            guard trace[b.row, b.column] == want else {
                throw AirError.boundaryViolated("boundary \(k): row \(b.row) column \(b.column) is \(trace[b.row, b.column]), want \(want)")
            }
        }
        let coefficients = program.constraints.map { _ in Fr.random() }
        var combined = [Fr](repeating: .zero, count: n - 1)
        trace.withView { view in
            combined.withUnsafeMutableBufferPointer { out in
                evaluate(
                    rows: 0..<(n - 1), trace: view, nextRowOffset: 1, periodic: program.periodicColumns,
                    publicInputs: publicInputs, coefficients: coefficients, into: out, threads: threads)
            }
        }
        guard let row = combined.firstIndex(where: { !$0.isZero }) else { return }
        let values = evaluateTransitions(
            current: trace.row(row), next: trace.row(row + 1), periodic: periodicRow(row), publicInputs: publicInputs)
        let k = values.firstIndex(where: { !$0.isZero }) ?? 0
        throw AirError.transitionViolated("constraint \(k) is nonzero on row \(row)")
    }

    /// The periodic columns' values on trace row `row`.
    public func periodicRow(_ row: Int) -> [Fr] {
        program.periodicColumns.map { $0[row % $0.count] }
    }
}

extension AirProgram {
    /// Each periodic column's values over the LDE domain `shift·⟨ω_{traceLength·blowup}⟩`, in
    /// the form `AirEvaluator.evaluate` takes: column `p` with cycle length c has c·blowup
    /// values and LDE row i reads entry i mod (c·blowup).
    ///
    /// A cycle of length c is a polynomial q in x^(n/c) of degree < c (q interpolates the
    /// cycle over the c-th roots of unity); at x = shift·ω_{nB}^i, x^(n/c) = shift^(n/c)·ω_{cB}^i,
    /// so extending the cycle by `blowup` on the coset of shift^(n/c) gives the values.
    public func periodicEvaluations(blowup: Int, shift: Fr = Fr.multiplicativeGenerator) throws(FieldError) -> [[Fr]] {
        var out: [[Fr]] = []
        for cycle in periodicColumns {
            let s = shift.power(UInt64(traceLength / cycle.count))
            out.append(try LowDegreeExtension.extend(cycle, blowup: blowup, shift: s, threads: 1))
        }
        return out
    }
}

extension AirProgram {
    /// The value of every transition constraint on one row: `current` and `next` are the two
    /// rows' cells, `periodic` the periodic columns' values on the current row. A simple
    /// interpreter over the node table, independent of `AirEvaluator`'s compiled instructions
    /// and needing no compilation (the STARK verifier uses it at the out-of-domain point).
    public func evaluateTransitions(current: [Fr], next: [Fr], periodic: [Fr], publicInputs: [Fr]) -> [Fr] {
        precondition(current.count == traceWidth && next.count == traceWidth)
        precondition(periodic.count == periodicColumns.count && publicInputs.count == publicInputCount)
        var v = [Fr](repeating: .zero, count: nodes.count)
        for (i, node) in nodes.enumerated() {
            switch node {
            case .constant(let k): v[i] = constants[k]
            case .current(let c): v[i] = current[c]
            case .next(let c): v[i] = next[c]
            case .periodic(let p): v[i] = periodic[p]
            case .publicInput(let k): v[i] = publicInputs[k]
            case .add(let a, let b): v[i] = v[a] + v[b]
            case .sub(let a, let b): v[i] = v[a] - v[b]
            case .mul(let a, let b): v[i] = v[a] * v[b]
            case .neg(let a): v[i] = -v[a]
            case .pow(let a, let e): v[i] = v[a].power(UInt64(e))
            }
        }
        return constraints.map { v[$0.root] }
    }
}
