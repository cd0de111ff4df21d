/// Checks STARK proofs (docs/stark.md, "Verifier"). A separate code path from the prover: it
/// derives the proof's shape from the AIR and the expected parameters, checks every count in
/// the proof against that shape before using it, replays the transcript, checks the
/// constraints at the out-of-domain point, the Merkle openings and every FRI fold.
/// Allocation is bounded by the shape (queries × leaf widths), never by numbers in the proof.
public enum StarkVerifier {
    /// Verifies an encoded proof. Throws a `StarkError` naming the reason on rejection.
    /// `binding` must equal the prover's `Options.binding`.
    public static func verify(
        proof bytes: some Collection<UInt8>, program: AirProgram, publicInputs: [Fr], parameters: StarkParameters = .default,
        binding: [UInt8] = []
    ) throws(StarkError) {
        let layout = try StarkLayout(program: program, parameters: parameters)
        guard bytes.count <= maxProofBytes(layout) else {
            throw StarkError.malformedProof("\(bytes.count) bytes exceed the \(maxProofBytes(layout)) this shape can need")
        }
        try verify(proof: StarkProof(bytes: bytes), program: program, publicInputs: publicInputs, parameters: parameters, binding: binding)
    }

    /// Verifies a decoded proof.
    public static func verify(
        proof: StarkProof, program: AirProgram, publicInputs: [Fr], parameters: StarkParameters = .default, binding: [UInt8] = []
    ) throws(StarkError) {
        let layout = try StarkLayout(program: program, parameters: parameters)
        guard proof.parameters == parameters else {
            throw StarkError.parameterMismatch("proof made with \(proof.parameters), expected \(parameters)")
        }
        guard publicInputs.count == program.publicInputCount else {
            throw StarkError.invalidStatement("\(publicInputs.count) public inputs, the program takes \(program.publicInputCount)")
        }
        try checkShape(proof, layout)

        // Replay the transcript.
        var t = StarkTranscript.start(program: program, publicInputs: publicInputs, parameters: parameters, binding: binding)
        t.absorb("trace-root", digest: proof.traceRoot)
        let alpha = t.challengeElement("constraint-coefficients")
        t.absorb("composition-root", digest: proof.compositionRoot)
        let z = t.challengeElement("ood-point")
        t.absorb("ood-trace-current", elements: proof.oodTraceCurrent)
        t.absorb("ood-trace-next", elements: proof.oodTraceNext)
        t.absorb("ood-composition", elements: proof.oodComposition)
        let gamma = t.challengeElement("deep-coefficients")
        var betas: [Fr] = []
        for l in 0..<layout.friFoldCount {
            if l > 0 { t.absorb("fri-layer", digest: proof.friRoots[l - 1]) }
            betas.append(t.challengeElement("fri-fold"))
        }
        t.absorb("fri-remainder", elements: proof.remainder)
        guard t.verifyGrinding(nonce: proof.nonce, bits: parameters.grindingBits) else {
            throw StarkError.grindingFailed("nonce \(proof.nonce) does not give \(parameters.grindingBits) leading zero bits")
        }
        let queries = t.challengeIndices("queries", count: layout.queryCount, domainSize: layout.ldeSize / layout.foldingFactor)
            .sorted()

        try checkOutOfDomain(proof, program: program, publicInputs: publicInputs, layout: layout, alpha: alpha, z: z)
        try checkQueries(proof, layout: layout, queries: queries, z: z, gamma: gamma, betas: betas)
    }

    /// The largest encoding a proof of this shape can have (each opening at most one sibling
    /// per level per leaf); longer inputs are refused before decoding.
    static func maxProofBytes(_ layout: StarkLayout) -> Int {
        let q = layout.queryCount, levels = (layout.ldeSize / layout.foldingFactor).trailingZeroBitCount + 1
        let opening = { (width: Int) in 12 + 32 * q * width + 32 * q * levels }
        return 4096 + 32 * (2 * layout.traceWidth + layout.segmentCount + layout.remainderSize)
            + 32 * layout.committedLayerCount + opening(layout.traceLeafWidth) + opening(layout.compositionLeafWidth)
            + layout.committedLayerCount * opening(layout.foldingFactor)
    }

    /// Every count the proof carries must equal what the layout implies.
    private static func checkShape(_ proof: StarkProof, _ layout: StarkLayout) throws(StarkError) {
        func expect(_ actual: Int, _ wanted: Int, _ what: String) throws(StarkError) {
            guard actual == wanted else { throw StarkError.malformedProof("\(what): \(actual), expected \(wanted)") }
        }
        try expect(proof.oodTraceCurrent.count, layout.traceWidth, "out-of-domain trace values")
        try expect(proof.oodTraceNext.count, layout.traceWidth, "out-of-domain next-row values")
        try expect(proof.oodComposition.count, layout.segmentCount, "out-of-domain composition values")
        try expect(proof.friRoots.count, layout.committedLayerCount, "FRI layer roots")
        try expect(proof.remainder.count, layout.remainderSize, "remainder coefficients")
        try expect(proof.friOpenings.count, layout.committedLayerCount, "FRI layer openings")
        try expect(proof.traceOpening.leafWidth, layout.traceLeafWidth, "trace leaf width")
        try expect(proof.traceOpening.leafCount, layout.queryCount, "trace leaves opened")
        try expect(proof.compositionOpening.leafWidth, layout.compositionLeafWidth, "composition leaf width")
        try expect(proof.compositionOpening.leafCount, layout.queryCount, "composition leaves opened")
        for (l, opening) in proof.friOpenings.enumerated() {
            try expect(opening.leafWidth, layout.foldingFactor, "FRI layer \(l + 1) leaf width")
            guard (1...layout.queryCount).contains(opening.leafCount) else {
                throw StarkError.malformedProof("FRI layer \(l + 1): \(opening.leafCount) leaves for \(layout.queryCount) queries")
            }
        }
    }

    /// H(z) from the segments must equal the constraints evaluated on the claimed trace values.
    private static func checkOutOfDomain(
        _ proof: StarkProof, program: AirProgram, publicInputs: [Fr], layout: StarkLayout, alpha: Fr, z: Fr
    ) throws(StarkError) {
        let n = layout.traceLength
        let zToN = z.power(UInt64(n))
        guard zToN != .one else { throw StarkError.oodMismatch("the out-of-domain point is in the trace domain") }
        let periodic = try periodicValues(program, at: z)
        let constraints = program.evaluateTransitions(
            current: proof.oodTraceCurrent, next: proof.oodTraceNext, periodic: periodic, publicInputs: publicInputs)
        let k = constraints.count
        let weights = StarkTranscript.powers(of: alpha, count: k + program.boundaries.count)
        var transitions = Fr.zero
        for i in 0..<k { transitions += weights[i] * constraints[i] }
        let lastRow = layout.traceGenerator.power(UInt64(n - 1))
        var expected = transitions * (z - lastRow) * (zToN - .one).inverse!
        for (b, boundary) in program.boundaries.enumerated() {
            let point = layout.traceGenerator.power(UInt64(boundary.row))
            let numerator = proof.oodTraceCurrent[boundary.column] - program.value(of: boundary, publicInputs: publicInputs)
            expected += weights[k + b] * numerator * (z - point).inverse!
        }
        var actual = Fr.zero, zPower = Fr.one
        for segment in proof.oodComposition {
            actual += zPower * segment
            zPower = zPower * zToN
        }
        guard actual == expected else {
            throw StarkError.oodMismatch("the composition segments at z disagree with the constraints on the claimed trace values")
        }
    }

    /// Each periodic column at z: the cycle of length c is q(x^(n/c)) with q interpolating the
    /// cycle over the c-th roots of unity.
    private static func periodicValues(_ program: AirProgram, at z: Fr) throws(StarkError) -> [Fr] {
        var out: [Fr] = []
        for cycle in program.periodicColumns {
            var coefficients = cycle
            do {
                try NTT.inverse(&coefficients, threads: 1)
            } catch {
                throw StarkError.internalError("periodic column: \(error)")
            }
            let x = z.power(UInt64(program.traceLength / cycle.count))
            var acc = Fr.zero
            for c in coefficients.reversed() { acc = acc * x + c }
            out.append(acc)
        }
        return out
    }
}
