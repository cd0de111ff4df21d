import ProverCore

/// A family of AIRs of any width for completeness tests: column c steps to
/// cur[c]·cur[c+1 mod W] + p(row) + c, with p a periodic column of cycle 4 (composition
/// degree 3, so two segments), row 0 pinned to constants, column 0 of the last row bound to
/// public input 0.
enum MixingAir {
    static let cycle: [Fr] = [3, 1, 4, 1].map { Fr(UInt64($0)) }

    static func program(width: Int, length: Int) throws -> AirProgram {
        let b = AirBuilder(traceWidth: width, traceLength: length, publicInputCount: 1)
        let p = b.periodic(cycle)
        for c in 0..<width {
            b.assertTransition(b.next(c) - (b.current(c) * b.current((c + 1) % width) + p + Fr(UInt64(c))), degree: 2)
            b.assertBoundary(column: c, row: 0, equals: Fr(UInt64(c + 2)))
        }
        b.assertBoundary(column: 0, row: length - 1, equalsPublicInput: 0)
        return try b.build()
    }

    static func trace(width: Int, length: Int) -> (trace: AirTrace, publicInputs: [Fr]) {
        var trace = AirTrace(width: width, length: length)
        for c in 0..<width { trace[0, c] = Fr(UInt64(c + 2)) }
        for row in 0..<(length - 1) {
            for c in 0..<width {
                trace[row + 1, c] = trace[row, c] * trace[row, (c + 1) % width] + cycle[row % 4] + Fr(UInt64(c))
            }
        }
        return (trace, [trace[length - 1, 0]])
    }
}

/// Fast parameters for tests (insecure) at a given blowup and folding factor.
func testParameters(blowup: Int = 8, folding: Int = 4, queries: Int = 6, remainder: Int = 8) -> StarkParameters {
    StarkParameters(blowup: blowup, queries: queries, grindingBits: 2, foldingFactor: folding, remainderSize: remainder)
}
