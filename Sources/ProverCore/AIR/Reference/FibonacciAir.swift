/// A Fibonacci-style reference AIR: two columns (a, b) with a' = b, b' = a + b.
/// Public inputs: [a₀, b₀, b at the last row].
public enum FibonacciAir {
    /// The program for a trace of `length` rows (a power of two).
    public static func program(length: Int) throws(AirError) -> AirProgram {
        let b = AirBuilder(traceWidth: 2, traceLength: length, publicInputCount: 3)
        let a0 = b.current(0), b0 = b.current(1)
        b.assertTransition(b.next(0) - b0, degree: 1)
        b.assertTransition(b.next(1) - (a0 + b0), degree: 1)
        b.assertBoundary(column: 0, row: 0, equalsPublicInput: 0)
        b.assertBoundary(column: 1, row: 0, equalsPublicInput: 1)
        b.assertBoundary(column: 1, row: length - 1, equalsPublicInput: 2)
        return try b.build()
    }

    /// The honest trace from (a₀, b₀) and its public inputs.
    public static func trace(length: Int, a: Fr = .one, b: Fr = .one) -> (trace: AirTrace, publicInputs: [Fr]) {
        var trace = AirTrace(width: 2, length: length)
        var (x, y) = (a, b)
        for row in 0..<length {
            trace[row, 0] = x
            trace[row, 1] = y
            (x, y) = (y, x + y)
        }
        return (trace, [a, b, trace[length - 1, 1]])
    }
}
