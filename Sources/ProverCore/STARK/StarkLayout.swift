/// The shape of a STARK proof for one AIR under one parameter set: domain sizes, the number
/// of composition segments, FRI layers and remainder size, and how many queries are drawn.
/// Prover and verifier both derive it from the program and the parameters, never from a proof.
package struct StarkLayout: Sendable, Equatable {
    /// Trace rows n and columns W.
    package let traceLength: Int
    package let traceWidth: Int
    /// Blowup B and LDE size m = n·B.
    package let blowup: Int
    package let ldeSize: Int
    /// The LDE domain is the coset shift·⟨ω_m⟩; shift = 5, the multiplicative generator.
    package let shift: Fr
    /// ω_n and ω_m.
    package let traceGenerator: Fr
    package let ldeGenerator: Fr
    /// S: the composition polynomial has degree below S·n and is committed as S segments of
    /// degree below n. S = max(1, D − 1) for the largest composition degree D.
    package let segmentCount: Int
    /// FRI folding factor F and the number of folds L.
    package let foldingFactor: Int
    package let friFoldCount: Int
    /// Coefficients of the FRI remainder: n / F^L.
    package let remainderSize: Int
    /// Queries actually drawn: min(queries, m / F), each a coset index below m / F.
    package let queryCount: Int
    /// Transition constraints K and boundary assertions.
    package let constraintCount: Int
    package let boundaryCount: Int

    package init(program: AirProgram, parameters: StarkParameters) throws(StarkError) {
        try parameters.validate()
        let n = program.traceLength
        let (m, overflow) = n.multipliedReportingOverflow(by: parameters.blowup)
        guard !overflow, m.trailingZeroBitCount <= Fr.twoAdicity, m <= 1 << Fr.twoAdicity else {
            throw StarkError.domainTooLarge("trace length \(n) × blowup \(parameters.blowup) exceeds 2^\(Fr.twoAdicity)")
        }
        let degree = program.maxCompositionDegree
        let segments = max(1, degree - 1)
        guard segments <= parameters.blowup else {
            throw StarkError.blowupTooSmall(
                "constraint composition degree \(degree) needs blowup ≥ \(segments), parameters give \(parameters.blowup)")
        }
        traceLength = n
        traceWidth = program.traceWidth
        blowup = parameters.blowup
        ldeSize = m
        shift = Fr.multiplicativeGenerator
        traceGenerator = try! Fr.rootOfUnity(logOrder: n.trailingZeroBitCount)
        ldeGenerator = try! Fr.rootOfUnity(logOrder: m.trailingZeroBitCount)
        segmentCount = segments
        foldingFactor = parameters.foldingFactor
        var degreeBound = n, folds = 0
        while degreeBound > parameters.remainderSize, degreeBound >= parameters.foldingFactor {
            degreeBound /= parameters.foldingFactor
            folds += 1
        }
        friFoldCount = folds
        remainderSize = degreeBound
        queryCount = min(parameters.queries, m / parameters.foldingFactor)
        constraintCount = program.constraints.count
        boundaryCount = program.boundaries.count
    }

    /// Where the prover stores LDE position i (the point shift·ω_m^i): LDE columns are kept
    /// class by class, class r = i mod B holding the n points shift·ω_m^r·ω_n^t at r·n + t, so
    /// each class is one size-n coset NTT and "next row" (x·ω_n) is the next slot of the class.
    package func storageIndex(_ i: Int) -> Int {
        (i & (blowup - 1)) * traceLength + (i >> blowup.trailingZeroBitCount)
    }

    /// The coset shift of LDE class r: shift·ω_m^r.
    package func classShift(_ r: Int) -> Fr { shift * ldeGenerator.power(UInt64(r)) }

    /// Size of FRI layer l (layer 0 is the DEEP polynomial on the LDE domain).
    package func layerSize(_ l: Int) -> Int { ldeSize >> (l * foldingFactor.trailingZeroBitCount) }

    /// The coset shift of FRI layer l: shift^(F^l).
    package func layerShift(_ l: Int) -> Fr { shift.power(UInt64(1) << UInt64(l * foldingFactor.trailingZeroBitCount)) }

    /// Number of FRI layers with a Merkle commitment in the proof: layers 1 ..< L (layer 0 is
    /// committed through the trace and composition trees, layer L is the remainder).
    package var committedLayerCount: Int { max(0, friFoldCount - 1) }

    /// Field elements in one trace leaf (a coset of F LDE rows) and one composition leaf.
    package var traceLeafWidth: Int { foldingFactor * traceWidth }
    package var compositionLeafWidth: Int { foldingFactor * segmentCount }

    /// The bytes the prover keeps alive at its peak (trace LDE, composition segments, their
    /// evaluations and the first FRI layers), an upper estimate.
    package var estimatedPeakBytes: Int {
        let element = Fr.byteCount
        let lde = traceWidth * ldeSize * element
        let coefficients = (traceWidth + segmentCount) * traceLength * element
        let composition = segmentCount * ldeSize * element
        let scratch = 2 * ldeSize * element  // constraint evaluations + inverses, later DEEP + FRI
        let trees = 2 * (2 * ldeSize / foldingFactor) * 32
        return lde + coefficients + composition + scratch + trees
    }
}
