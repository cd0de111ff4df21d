import Foundation
import ProverCore
import Testing

/// Throughput of the compiled evaluator on the Poseidon-chain AIR over an LDE-sized buffer.
/// Opt-in (AIR_BENCH=1) since wall time on shared machines is noisy; prints, never gates.
@Suite("Air evaluator throughput", .enabled(if: ProcessInfo.processInfo.environment["AIR_BENCH"] == "1"))
struct AirEvaluatorThroughputTests {
    @Test func poseidonChainOnAnLDE() throws {
        let program = try PoseidonChainAir.program(messageCount: 128)  // 2^14 rows
        let blowup = 8
        let rows = program.traceLength * blowup  // 2^17 LDE rows
        let evaluator = AirEvaluator(program)
        let lde = randomTrace(width: 3, length: rows, seed: 9)
        let periodic = try program.periodicEvaluations(blowup: blowup)
        let coefficients = (0..<program.constraints.count).map { Fr(UInt64($0) + 2) }
        let arithmetic = evaluator.instructions.filter { [.add, .sub, .mul, .neg, .pow].contains($0.op) }.count
        var out = [Fr](repeating: .zero, count: rows)
        lde.withView { view in
            for threads in [1, ProcessorInfo.activeCores] {
                var best = Double.infinity
                for _ in 0..<3 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    out.withUnsafeMutableBufferPointer { o in
                        evaluator.evaluate(
                            rows: 0..<rows, trace: view, nextRowOffset: blowup, periodic: periodic,
                            publicInputs: [Fr(1), Fr(2)], coefficients: coefficients, into: o, threads: threads)
                    }
                    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start))
                }
                print(
                    "air-eval poseidon-chain: \(rows) rows, \(evaluator.instructions.count) instructions (\(arithmetic) arithmetic), "
                        + "\(evaluator.registerCount) registers, block \(evaluator.blockRows), threads \(threads): "
                        + "\(Int(best / 1e6)) ms, \(Int(best / Double(rows))) ns/row")
            }
        }
        #expect(out.contains { !$0.isZero })
    }
}
