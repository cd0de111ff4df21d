import ProverCore

/// The `stark` suite: Poseidon-chain proofs at the default profile, with the work floor of
/// docs/performance.md ("STARK cost model") printed term by term.
public enum StarkSuite {
    public static let name = "stark"

    /// The multiplications the protocol needs for N rows, W columns, blowup B, composition
    /// degree D and c multiplications per row of the compiled constraints.
    public struct WorkFloor: Sendable {
        public var traceLDE: Double
        public var constraints: Double
        public var compositionLDE: Double
        public var deep: Double
        public var fri: Double

        public init(rows n: Int, width w: Int, blowup b: Int, degree d: Int, multiplicationsPerRow c: Int) {
            let logN = Double(n.trailingZeroBitCount)  // n is a power of two
            let (n, w, b, d, c) = (Double(n), Double(w), Double(b), Double(d), Double(c))
            let transform = (b + 1) * (n / 2) * logN  // one column: inverse NTT of n + coset NTT of B·n
            traceLDE = w * transform
            constraints = b * n * c
            compositionLDE = (d - 1) * transform
            deep = b * n * (2 * (w + d - 1) + 6)
            fri = 2 * b * n
        }

        public var total: Double { traceLDE + constraints + compositionLDE + deep + fri }

        public var terms: [(String, Double)] {
            [("trace_lde", traceLDE), ("constraints", constraints), ("composition_lde", compositionLDE), ("deep", deep), ("fri", fri)]
        }
    }

    public static func run(quick: Bool, mulNanoseconds: Double?) -> [BenchmarkRecord] {
        var records: [BenchmarkRecord] = []
        let cores = ProcessorInfo.activeCores
        let parameters = StarkParameters.default
        for log in quick ? [10, 12] : [10, 12, 14, 16] {
            let messages = (1 << log) / PoseidonChainAir.cycle
            let program = try! PoseidonChainAir.program(messageCount: messages)
            let (trace, inputs) = PoseidonChainAir.trace(seed: Fr(7), messages: (0..<messages).map { Fr(UInt64($0 + 1)) })
            let prover = try! StarkProver(program: program, parameters: parameters, options: .init(threads: cores))
            let name = "poseidon_chain.2^\(log)"
            func record(_ metric: String, _ value: Double, _ unit: String, threads: Int? = nil) {
                records.append(BenchmarkRecord(suite: self.name, name: name, metric: metric, value: value, unit: unit, threads: threads))
            }

            ResourceUsage.resetPeak()
            var proof: StarkProof?
            let proveNs = Measurement.medianNanoseconds(repetitions: log >= 16 ? 1 : 3) {
                proof = try! prover.prove(trace: trace, publicInputs: inputs)
            }
            let peak = ResourceUsage.peakResidentMiB()
            let bytes = proof!.bytes
            let verifyNs = Measurement.medianNanoseconds(repetitions: quick ? 5 : 11) {
                try! StarkVerifier.verify(proof: bytes, program: program, publicInputs: inputs, parameters: parameters)
            }
            record("prove_ms", proveNs / 1e6, "ms", threads: cores)
            if !quick && cores > 1 {
                let single = try! StarkProver(program: program, parameters: parameters, options: .init(threads: 1))
                let ns = Measurement.medianNanoseconds(repetitions: 1) { blackHole(try! single.prove(trace: trace, publicInputs: inputs)) }
                record("prove_ms", ns / 1e6, "ms", threads: 1)
            }
            record("verify_ms", verifyNs / 1e6, "ms", threads: 1)
            record("proof_bytes", Double(bytes.count), "B")
            record("security_bits", Double(parameters.conjecturedSecurityBits), "bits")
            if let peak { record("peak_rss_mb", peak, "MiB") }

            let floor = WorkFloor(
                rows: program.traceLength, width: program.traceWidth, blowup: parameters.blowup,
                degree: program.maxCompositionDegree, multiplicationsPerRow: AirEvaluator(program).multiplicationsPerRow)
            for (term, muls) in floor.terms { record("floor_\(term)_muls", muls, "muls") }
            if let mul = mulNanoseconds {
                let floorNs = floor.total * mul / Double(cores)
                record("work_floor_ratio", proveNs / floorNs, "x", threads: cores)
            }
        }
        return records
    }
}
