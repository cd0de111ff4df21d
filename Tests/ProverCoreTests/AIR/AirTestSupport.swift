import ProverCore

// Seeded randomness: SplitMix64 from Field/FrOracleTests.swift.

/// Writes the AIR1 layout field by field from docs/air.md, independently of `encode()`, so
/// tests can produce malformed programs.
struct RawAir {
    var magic: [UInt8] = Array("AIR1".utf8)
    var version: UInt32 = 1
    var width: UInt32 = 2
    var length: UInt64 = 8
    var publicInputCount: UInt32 = 1
    var constants: [Fr] = [Fr(7)]
    var periodic: [[Fr]] = [[Fr(1), Fr(2)]]
    /// (op, a, b)
    var nodes: [(UInt32, UInt32, UInt32)] = [
        (2, 0, 0),  // 0: current(0)
        (3, 1, 0),  // 1: next(1)
        (4, 0, 0),  // 2: periodic(0)
        (1, 0, 0),  // 3: constant(0)
        (5, 0, 0),  // 4: publicInput(0)
        (8, 0, 0),  // 5: current0 * current0
        (6, 5, 2),  // 6: + periodic
        (7, 6, 1),  // 7: - next1
        (9, 3, 0),  // 8: -constant
        (10, 0, 3),  // 9: current0^3
        (8, 9, 4),  // 10: * publicInput
        (6, 10, 8),  // 11: + (-constant)
    ]
    /// (root, degree)
    var constraints: [(UInt32, UInt32)] = [(7, 2), (11, 3)]
    /// (column, row, kind, index)
    var boundaries: [(UInt32, UInt32, UInt32, UInt32)] = [(0, 0, 1, 0), (1, 7, 0, 0)]

    var bytes: [UInt8] {
        var b = magic
        func u32(_ v: UInt32) { for i in 0..<4 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt32(i)))) } }
        func u64(_ v: UInt64) { for i in 0..<8 { b.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
        u32(version)
        u32(width)
        u64(length)
        u32(publicInputCount)
        u32(UInt32(constants.count))
        for c in constants { b += c.littleEndianBytes }
        u32(UInt32(periodic.count))
        for p in periodic {
            u32(UInt32(p.count))
            for v in p { b += v.littleEndianBytes }
        }
        u32(UInt32(nodes.count))
        for n in nodes { u32(n.0); u32(n.1); u32(n.2) }
        u32(UInt32(constraints.count))
        for c in constraints { u32(c.0); u32(c.1) }
        u32(UInt32(boundaries.count))
        for x in boundaries { u32(x.0); u32(x.1); u32(x.2); u32(x.3) }
        return b
    }
}

func decodeError(_ bytes: [UInt8]) -> AirError? {
    do {
        _ = try AirProgram(decoding: bytes)
        return nil
    } catch {
        return error
    }
}

/// Straightforward recursive evaluation of node `i` (memoized), the evaluator's oracle.
func naiveValue(
    _ program: AirProgram, _ i: Int, current: [Fr], next: [Fr], periodic: [Fr], publicInputs: [Fr], memo: inout [Int: Fr]
) -> Fr {
    if let v = memo[i] { return v }
    func sub(_ j: Int) -> Fr { naiveValue(program, j, current: current, next: next, periodic: periodic, publicInputs: publicInputs, memo: &memo) }
    let v: Fr
    switch program.nodes[i] {
    case .constant(let k): v = program.constants[k]
    case .current(let c): v = current[c]
    case .next(let c): v = next[c]
    case .periodic(let p): v = periodic[p]
    case .publicInput(let k): v = publicInputs[k]
    case .add(let a, let b): v = sub(a) + sub(b)
    case .sub(let a, let b): v = sub(a) - sub(b)
    case .mul(let a, let b): v = sub(a) * sub(b)
    case .neg(let a): v = Fr.zero - sub(a)
    case .pow(let a, let e):
        var r = Fr.one
        let x = sub(a)
        for _ in 0..<e { r = r * x }
        v = r
    }
    memo[i] = v
    return v
}

/// Naive trace degree of node `i`.
func naiveDegree(_ nodes: [AirNode], _ i: Int) -> Int {
    switch nodes[i] {
    case .constant, .publicInput, .periodic: 0
    case .current, .next: 1
    case .add(let a, let b), .sub(let a, let b): max(naiveDegree(nodes, a), naiveDegree(nodes, b))
    case .mul(let a, let b): naiveDegree(nodes, a) + naiveDegree(nodes, b)
    case .neg(let a): naiveDegree(nodes, a)
    case .pow(let a, let e): naiveDegree(nodes, a) * e
    }
}

/// A random valid program: `nodeCount` nodes over a trace of `width` × `length`.
func randomProgram(seed: UInt64, width: Int = 4, length: Int = 64, nodeCount: Int = 60) throws -> AirProgram {
    var rng = SplitMix64(seed: seed)
    let constants = (0..<3).map { _ in Fr.random(using: &rng) }
    let periodic = [4, 16].map { n in (0..<n).map { _ in Fr.random(using: &rng) } }
    var nodes: [AirNode] = []
    var degree: [Int] = []
    for i in 0..<nodeCount {
        let node: AirNode
        if i < 8 {
            switch i % 5 {
            case 0: node = .current(Int.random(in: 0..<width, using: &rng))
            case 1: node = .next(Int.random(in: 0..<width, using: &rng))
            case 2: node = .periodic(Int.random(in: 0..<2, using: &rng))
            case 3: node = .constant(Int.random(in: 0..<3, using: &rng))
            default: node = .publicInput(Int.random(in: 0..<2, using: &rng))
            }
        } else {
            // Keep degrees small: pick operands among low-degree nodes for mul and pow.
            let low = (0..<i).filter { degree[$0] <= 2 }
            let a = Int.random(in: 0..<i, using: &rng), b = Int.random(in: 0..<i, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: node = .add(a, b)
            case 1: node = .sub(a, b)
            case 2: node = .mul(low.randomElement(using: &rng)!, low.randomElement(using: &rng)!)
            case 3: node = .neg(a)
            case 4: node = .pow(low.randomElement(using: &rng)!, Int.random(in: 2...3, using: &rng))
            default: node = .add(b, a)
            }
        }
        nodes.append(node)
        degree.append(naiveDegree(nodes, i))
    }
    let roots = (0..<6).map { _ in Int.random(in: (nodeCount / 2)..<nodeCount, using: &rng) }
    return try AirProgram(
        traceWidth: width, traceLength: length, publicInputCount: 2, constants: constants, periodicColumns: periodic,
        nodes: nodes, constraints: roots.map { AirConstraint(root: $0, degree: degree[$0]) })
}

func randomTrace(width: Int, length: Int, seed: UInt64) -> AirTrace {
    var rng = SplitMix64(seed: seed)
    return AirTrace(columns: (0..<width).map { _ in (0..<length).map { _ in Fr.random(using: &rng) } })
}
