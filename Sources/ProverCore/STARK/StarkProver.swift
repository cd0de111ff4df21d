/// Proves that a trace satisfies an AIR program (docs/stark.md).
///
/// Phases: trace LDE and commitment → constraint composition divided by the vanishing
/// polynomials, split into segments and committed → out-of-domain sample → DEEP composition →
/// FRI → grinding → query openings. Each phase runs on `options.threads` threads (default: all
/// cores); cancellation is checked between phases.
///
/// ```swift
/// let program = try PoseidonChainAir.program(messageCount: 4)
/// let (trace, inputs) = PoseidonChainAir.trace(seed: .zero, messages: [1, 2, 3, 4].map(Fr.init))
/// let proof = try StarkProver.prove(program: program, trace: trace, publicInputs: inputs)
/// try StarkVerifier.verify(proof: proof.bytes, program: program, publicInputs: inputs)
/// ```
public struct StarkProver: Sendable {
    /// How a proof runs: threads, a memory bound and a cancellation check.
    public struct Options: Sendable {
        /// Worker threads for the parallel phases (default: all cores).
        public var threads: Int?
        /// When set, read at the start of every parallel phase instead of `threads`: a proof
        /// sharing the machine with others follows its current share (see `ThreadBudget`).
        public var threadCount: (@Sendable () -> Int)?
        /// Refuse to start when the prover's peak memory estimate exceeds this many bytes.
        public var memoryLimitBytes: Int?
        /// Polled between phases; returning true aborts the proof with `cancelled`.
        public var isCancelled: (@Sendable () -> Bool)?
        /// Bytes bound into the Fiat–Shamir transcript besides the AIR, public inputs and
        /// parameters (the verifier must pass the same): e.g. a proof type and its context.
        public var binding: [UInt8] = []
        /// Tests only: skip the statement checks and truncate an oversized composition
        /// polynomial, i.e. behave like a cheating prover, so tests can show the verifier
        /// rejects what such a prover sends.
        package var skipsStatementChecks = false

        public init(threads: Int? = nil, memoryLimitBytes: Int? = nil, isCancelled: (@Sendable () -> Bool)? = nil) {
            self.threads = threads
            self.memoryLimitBytes = memoryLimitBytes
            self.isCancelled = isCancelled
        }
    }

    public let program: AirProgram
    public let parameters: StarkParameters
    public let options: Options
    package let layout: StarkLayout
    let evaluator: AirEvaluator
    let fixedThreads: Int
    /// Threads for the phase about to run.
    var threads: Int { max(1, options.threadCount?() ?? fixedThreads) }

    /// Checks the parameters against the program (blowup against the constraint degree, domain
    /// size, memory limit) and compiles the constraint evaluator.
    public init(program: AirProgram, parameters: StarkParameters = .default, options: Options = Options()) throws(StarkError) {
        self.program = program
        self.parameters = parameters
        self.options = options
        layout = try StarkLayout(program: program, parameters: parameters)
        if let limit = options.memoryLimitBytes, layout.estimatedPeakBytes > limit {
            throw StarkError.memoryLimit("the proof needs about \(layout.estimatedPeakBytes >> 20) MiB, the limit is \(limit >> 20) MiB")
        }
        evaluator = AirEvaluator(program)
        fixedThreads = max(1, options.threads ?? ProcessorInfo.activeCores)
    }

    /// The prover's peak memory estimate for this program and parameters, in bytes.
    public var estimatedPeakBytes: Int { layout.estimatedPeakBytes }

    /// One-call convenience: `StarkProver(program:parameters:options:).prove(trace:publicInputs:)`.
    public static func prove(
        program: AirProgram, trace: AirTrace, publicInputs: [Fr], parameters: StarkParameters = .default,
        options: Options = Options()
    ) throws(StarkError) -> StarkProof {
        try StarkProver(program: program, parameters: parameters, options: options).prove(trace: trace, publicInputs: publicInputs)
    }

    /// Proves that `trace` satisfies the program with `publicInputs`. A trace that does not
    /// (wrong shape, a boundary or transition violated) is refused with `invalid_statement`
    /// naming the row and constraint, before any commitment is made.
    public func prove(trace: AirTrace, publicInputs: [Fr]) throws(StarkError) -> StarkProof {
        try proveWithReport(trace: trace, publicInputs: publicInputs).proof
    }

    /// `prove`, also returning how long each phase took.
    public func proveWithReport(trace: AirTrace, publicInputs: [Fr]) throws(StarkError) -> (proof: StarkProof, report: StarkProverReport) {
        var report = StarkProverReport(layout: layout, threads: threads)
        let clock = ContinuousClock()
        var mark = clock.now
        func phase(_ name: String) throws(StarkError) {
            let now = clock.now
            report.phases.append(.init(name: name, seconds: (now - mark) / .seconds(1)))
            mark = now
            if let cancelled = options.isCancelled, cancelled() { throw StarkError.cancelled("after \(name)") }
        }

        guard trace.width == layout.traceWidth, trace.columns.allSatisfy({ $0.count == layout.traceLength }),
            publicInputs.count == program.publicInputCount
        else {
            throw StarkError.invalidStatement(
                "trace is \(trace.width) × \(trace.length) with \(publicInputs.count) public inputs; the program wants "
                    + "\(layout.traceWidth) × \(layout.traceLength) with \(program.publicInputCount)")
        }
        do {
            if !options.skipsStatementChecks { try evaluator.checkTrace(trace, publicInputs: publicInputs, threads: threads) }
        } catch {
            throw StarkError.invalidStatement(error.description)
        }
        try phase("check")

        var transcript = StarkTranscript.start(program: program, publicInputs: publicInputs, parameters: parameters, binding: options.binding)
        let traceLDE = try extendTrace(trace)
        let traceTree = try commitColumns(traceLDE.values, width: layout.traceWidth)
        transcript.absorb("trace-root", digest: traceTree.root)
        try phase("trace")

        let alpha = transcript.challengeElement("constraint-coefficients")
        let composition = try composeConstraints(traceLDE: traceLDE.values, publicInputs: publicInputs, alpha: alpha)
        let compositionTree = try commitColumns(composition.values, width: layout.segmentCount)
        transcript.absorb("composition-root", digest: compositionTree.root)
        try phase("composition")

        let z = transcript.challengeElement("ood-point")
        let ood = try outOfDomainValues(z: z, traceCoefficients: traceLDE.coefficients, segmentCoefficients: composition.coefficients)
        transcript.absorb("ood-trace-current", elements: ood.current)
        transcript.absorb("ood-trace-next", elements: ood.next)
        transcript.absorb("ood-composition", elements: ood.composition)
        let gamma = transcript.challengeElement("deep-coefficients")
        let deep = deepComposition(
            traceLDE: traceLDE.values, compositionLDE: composition.values, z: z, ood: ood, gamma: gamma)
        try phase("deep")

        let fri = try commitFRI(deep, transcript: &transcript)
        try phase("fri")

        let nonce = transcript.grind(bits: parameters.grindingBits)
        let queries = transcript.challengeIndices("queries", count: layout.queryCount, domainSize: layout.ldeSize / layout.foldingFactor)
            .sorted()
        let proof = StarkProof(
            parameters: parameters, traceRoot: traceTree.root, compositionRoot: compositionTree.root,
            oodTraceCurrent: ood.current, oodTraceNext: ood.next, oodComposition: ood.composition,
            friRoots: fri.layers.map(\.tree.root), remainder: fri.remainder, nonce: nonce,
            traceOpening: try openColumns(traceLDE.values, width: layout.traceWidth, tree: traceTree, leaves: queries),
            compositionOpening: try openColumns(composition.values, width: layout.segmentCount, tree: compositionTree, leaves: queries),
            friOpenings: try openFRI(fri.layers, queries: queries))
        try phase("queries")
        return (proof, report)
    }

    /// Runs an NTT step; a `FieldError` there is a prover bug (sizes were checked), so it
    /// becomes `internal`.
    func mapFieldError<T>(_ what: String, _ body: () throws(FieldError) -> T) throws(StarkError) -> T {
        do {
            return try body()
        } catch {
            throw StarkError.internalError("\(what): \(error)")
        }
    }
}

/// What a proof cost: the layout and the time of each phase.
public struct StarkProverReport: Sendable {
    public struct Phase: Sendable {
        public var name: String
        public var seconds: Double
    }

    public var phases: [Phase] = []
    /// LDE domain size (trace length × blowup).
    public var ldeSize: Int
    /// Composition segments S.
    public var segmentCount: Int
    /// FRI folds L.
    public var friFoldCount: Int
    /// Queries drawn.
    public var queryCount: Int
    /// The prover's peak memory estimate in bytes.
    public var estimatedPeakBytes: Int
    /// Threads used by the parallel phases.
    public var threads: Int

    init(layout: StarkLayout, threads: Int) {
        ldeSize = layout.ldeSize
        segmentCount = layout.segmentCount
        friFoldCount = layout.friFoldCount
        queryCount = layout.queryCount
        estimatedPeakBytes = layout.estimatedPeakBytes
        self.threads = threads
    }

    /// Total seconds over all phases.
    public var totalSeconds: Double { phases.reduce(0) { $0 + $1.seconds } }
}
