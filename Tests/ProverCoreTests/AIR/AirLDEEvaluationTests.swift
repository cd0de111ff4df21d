import ProverCore
import Testing

/// The evaluator used the way the prover will: on the LDE of a trace (next row = blowup rows
/// ahead, periodic columns from `periodicEvaluations`). The values must be evaluations of one
/// polynomial Q of degree ≤ maxCompositionDegree·(n−1) that vanishes on the trace domain
/// except at its last point.
@Suite("Air evaluation on an LDE")
struct AirLDEEvaluationTests {
    func combinedPolynomial(_ program: AirProgram, _ trace: AirTrace, _ publicInputs: [Fr], blowup: Int) throws -> Polynomial {
        let n = program.traceLength, size = n * blowup
        let lde = AirTrace(columns: try trace.columns.map { try LowDegreeExtension.extend($0, blowup: blowup) })
        let periodic = try program.periodicEvaluations(blowup: blowup)
        let coefficients = program.constraints.map { _ in Fr.random() }
        var values = [Fr](repeating: .zero, count: size)
        lde.withView { view in
            values.withUnsafeMutableBufferPointer { out in
                AirEvaluator(program).evaluate(
                    rows: 0..<size, trace: view, nextRowOffset: blowup, periodic: periodic, publicInputs: publicInputs,
                    coefficients: coefficients, into: out)
            }
        }
        try NTT.cosetInverse(&values, shift: Fr.multiplicativeGenerator)
        return Polynomial(coefficients: values)
    }

    @Test func honestPoseidonChainVanishesOnTheTraceDomain() throws {
        let program = try PoseidonChainAir.program(messageCount: 1)
        let (trace, publicInputs) = PoseidonChainAir.trace(seed: Fr(8), messages: [Fr(9)])
        let n = program.traceLength
        let blowup = 8
        #expect(program.maxCompositionDegree <= blowup)
        let q = try combinedPolynomial(program, trace, publicInputs, blowup: blowup)
        #expect((q.degree ?? 0) <= program.maxCompositionDegree * (n - 1))
        let omega = try Fr.rootOfUnity(logOrder: n.trailingZeroBitCount)
        var x = Fr.one
        for row in 0..<n {
            let v = q.evaluate(at: x)
            if row < n - 1 { #expect(v.isZero, "row \(row)") } else { #expect(!v.isZero, "wrap-around row") }
            x *= omega
        }
    }

    @Test func tamperedTraceDoesNotVanish() throws {
        let program = try FibonacciAir.program(length: 32)
        var (trace, publicInputs) = FibonacciAir.trace(length: 32)
        trace[7, 1] += .one
        let q = try combinedPolynomial(program, trace, publicInputs, blowup: 2)
        let omega = try Fr.rootOfUnity(logOrder: 5)
        #expect(!q.evaluate(at: omega.power(6)).isZero)
        #expect(q.evaluate(at: omega.power(2)).isZero)
    }
}
