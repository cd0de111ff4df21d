/// A reference AIR for a Poseidon hash chain (t = 3, circomlib parameters):
/// h₀ = seed, h_{k+1} = Poseidon.hash(h_k, m_k), with the messages m_k as private witness.
/// Public inputs: [seed, h_K] for K messages.
///
/// Layout (docs/air.md): three columns, the permutation state (s₀, s₁, s₂). Each hash takes a
/// cycle of 128 rows: row 0 holds the input [0, h_k, m_k], the transition out of row j
/// (j < 65) applies round j, so row 65 holds the output and s₀ there is h_{k+1}; rows 65…126
/// copy the state, and the transition out of row 127 starts the next hash ([0, h_{k+1}, m]).
/// The round constants and the round kind are periodic columns of cycle 128; the MDS matrix
/// entries are constants. Each constraint is degree 5 in the trace (6 counting the selector).
public enum PoseidonChainAir {
    /// Rows per hash.
    public static let cycle = 128
    static let width = 3

    /// Trace length for `messageCount` hashes: 128 per hash, rounded up to a power of two
    /// (extra cycles hash zero messages and are not asserted on).
    public static func traceLength(messageCount: Int) -> Int {
        var n = cycle
        while n < cycle * messageCount { n <<= 1 }
        return n
    }

    /// The program for a chain of `messageCount` ≥ 1 hashes.
    public static func program(messageCount: Int) throws(AirError) -> AirProgram {
        guard messageCount >= 1 else { throw AirError.sizeLimit("a chain needs at least one message") }
        let p = try! PoseidonParameters.circom(width: width)
        let rounds = p.fullRounds + p.partialRounds
        let half = p.fullRounds / 2
        let length = traceLength(messageCount: messageCount)
        let b = AirBuilder(traceWidth: width, traceLength: length, publicInputCount: 2)

        func selector(_ rows: (Int) -> Bool) -> AirExpression {
            b.periodic((0..<cycle).map { rows($0) ? Fr.one : Fr.zero })
        }
        let full = selector { $0 < half || ($0 >= half + p.partialRounds && $0 < rounds) }
        let partial = selector { $0 >= half && $0 < half + p.partialRounds }
        let copy = selector { $0 >= rounds && $0 < cycle - 1 }
        let chain = selector { $0 == cycle - 1 }
        let rc = (0..<width).map { i in
            b.periodic((0..<cycle).map { $0 < rounds ? p.roundConstants[$0 * width + i] : Fr.zero })
        }
        let s = (0..<width).map { b.current($0) }
        let y = (0..<width).map { s[$0] + rc[$0] }
        let y5 = y.map { $0.power(5) }
        for i in 0..<width {
            let m = (0..<width).map { b.constant(p.mds[i * width + $0]) }
            let fullOut = (1..<width).reduce(m[0] * y5[0]) { $0 + m[$1] * y5[$1] }
            let partialOut = (1..<width).reduce(m[0] * y5[0]) { $0 + m[$1] * y[$1] }
            let n = b.next(i)
            var e = full * (n - fullOut) + partial * (n - partialOut) + copy * (n - s[i])
            // Chain: next s₀ = 0, next s₁ = this hash; next s₂ (the message) is free.
            if i == 0 { e = e + chain * n }
            if i == 1 { e = e + chain * (n - s[0]) }
            b.assertTransition(e, degree: 5)
        }
        b.assertBoundary(column: 0, row: 0, equals: .zero)
        b.assertBoundary(column: 1, row: 0, equalsPublicInput: 0)
        b.assertBoundary(column: 0, row: (messageCount - 1) * cycle + rounds, equalsPublicInput: 1)
        return try b.build()
    }

    /// The honest trace for `seed` and `messages`, and its public inputs [seed, h_K].
    public static func trace(seed: Fr, messages: [Fr]) -> (trace: AirTrace, publicInputs: [Fr]) {
        let p = try! PoseidonParameters.circom(width: width)
        let rounds = p.fullRounds + p.partialRounds
        let half = p.fullRounds / 2
        let length = traceLength(messageCount: messages.count)
        var trace = AirTrace(width: width, length: length)
        var state = [Fr.zero, seed, messages.first ?? .zero]
        var digest = seed
        for row in 0..<length {
            for i in 0..<width { trace[row, i] = state[i] }
            let j = row % cycle
            if j < rounds {
                var y = (0..<width).map { state[$0] + p.roundConstants[j * width + $0] }
                let isFull = j < half || j >= half + p.partialRounds
                for i in 0..<width where isFull || i == 0 { y[i] = y[i].power(5) }
                state = (0..<width).map { i in (0..<width).reduce(Fr.zero) { $0 + p.mds[i * width + $1] * y[$1] } }
                if j == rounds - 1, row / cycle < messages.count { digest = state[0] }
            } else if j == cycle - 1 {
                let k = row / cycle + 1
                state = [.zero, state[0], k < messages.count ? messages[k] : .zero]
            }
        }
        return (trace, [seed, digest])
    }

    /// The public inputs [seed, h_K] of a chain without building its trace (what a verifier
    /// recomputes from a statement).
    public static func publicInputs(seed: Fr, messages: [Fr]) -> [Fr] {
        var h = seed
        for m in messages { h = Poseidon.hash(h, m) }
        return [seed, h]
    }
}
