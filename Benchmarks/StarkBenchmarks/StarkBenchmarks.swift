import Benchmark
import ProverCore

// package-benchmark suite for the STARK: one small Poseidon-chain proof and its verification,
// on one thread so allocation counts are deterministic.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .instructions],
        scalingFactor: .one,
        maxDuration: .seconds(2),
        maxIterations: 20
    )
    let program = try! PoseidonChainAir.program(messageCount: 8)  // 2^10 rows
    let (trace, inputs) = PoseidonChainAir.trace(seed: Fr(7), messages: (1...8).map { Fr(UInt64($0)) })
    let prover = try! StarkProver(program: program, parameters: .default, options: .init(threads: 1))
    let proof = try! prover.prove(trace: trace, publicInputs: inputs).bytes
    Benchmark("stark.prove.poseidon_chain.2^10") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try! prover.prove(trace: trace, publicInputs: inputs)) }
    }
    Benchmark("stark.verify.poseidon_chain.2^10") { benchmark in
        for _ in benchmark.scaledIterations {
            try! StarkVerifier.verify(proof: proof, program: program, publicInputs: inputs)
        }
    }
}
