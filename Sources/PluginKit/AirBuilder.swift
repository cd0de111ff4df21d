/// A small AIR builder that writes the `AIR1` encoding (docs/air.md) — PluginKit's own copy, so
/// a plugin links nothing of the host's. Nodes are hash-consed (one node per distinct
/// expression, `x + y` and `y + x` shared), equal constants and periodic columns share one entry,
/// and each constraint's degree is computed (the host checks declared == computed).
///
/// ```swift
/// let b = AirBuilder(traceWidth: 2, traceLength: 64, publicInputCount: 1)
/// b.assertTransition(b.next(0) - b.current(1))
/// b.assertBoundary(column: 0, row: 0, equalsPublicInput: 0)
/// let bytes = b.encode()
/// ```
public final class AirBuilder {
    public let traceWidth: Int
    public let traceLength: Int
    public let publicInputCount: Int

    struct Node: Hashable {
        let op: UInt32
        let a: UInt32
        let b: UInt32
    }

    private(set) var constants: [Felt] = []
    private var constantIndex: [Felt: Int] = [:]
    private(set) var periodicColumns: [[Felt]] = []
    private var periodicIndex: [[Felt]: Int] = [:]
    private(set) var nodes: [Node] = []
    private var nodeIndex: [Node: Int] = [:]
    private(set) var degrees: [Int] = []
    private(set) var constraints: [(root: Int, degree: Int)] = []
    private(set) var boundaries: [(column: Int, row: Int, kind: UInt32, index: Int)] = []

    public init(traceWidth: Int, traceLength: Int, publicInputCount: Int) {
        precondition(traceWidth >= 1 && traceLength >= 2 && traceLength & (traceLength - 1) == 0)
        self.traceWidth = traceWidth
        self.traceLength = traceLength
        self.publicInputCount = publicInputCount
    }

    func node(_ op: UInt32, _ a: Int, _ b: Int = 0, degree: Int) -> AirExpr {
        let n = Node(op: op, a: UInt32(a), b: UInt32(b))
        if let i = nodeIndex[n] { return AirExpr(builder: self, index: i) }
        nodes.append(n)
        degrees.append(min(degree, 1 << 20))
        nodeIndex[n] = nodes.count - 1
        return AirExpr(builder: self, index: nodes.count - 1)
    }

    public func constant(_ value: Felt) -> AirExpr {
        let i: Int
        if let known = constantIndex[value] {
            i = known
        } else {
            constants.append(value)
            i = constants.count - 1
            constantIndex[value] = i
        }
        return node(1, i, degree: 0)
    }

    public func current(_ column: Int) -> AirExpr {
        precondition((0..<traceWidth).contains(column))
        return node(2, column, degree: 1)
    }

    public func next(_ column: Int) -> AirExpr {
        precondition((0..<traceWidth).contains(column))
        return node(3, column, degree: 1)
    }

    /// A periodic column: row i reads `cycle[i mod cycle.count]` (a power-of-two length ≤ the trace).
    public func periodic(_ cycle: [Felt]) -> AirExpr {
        precondition(!cycle.isEmpty && cycle.count & (cycle.count - 1) == 0 && cycle.count <= traceLength)
        let i: Int
        if let known = periodicIndex[cycle] {
            i = known
        } else {
            periodicColumns.append(cycle)
            i = periodicColumns.count - 1
            periodicIndex[cycle] = i
        }
        return node(4, i, degree: 0)
    }

    public func publicInput(_ index: Int) -> AirExpr {
        precondition((0..<publicInputCount).contains(index))
        return node(5, index, degree: 0)
    }

    /// Requires `expression` to vanish on every row but the last (its degree is computed).
    public func assertTransition(_ expression: AirExpr) {
        precondition(expression.builder === self)
        constraints.append((expression.index, degrees[expression.index]))
    }

    public func assertBoundary(column: Int, row: Int, equals value: Felt) {
        precondition((0..<traceWidth).contains(column) && (0..<traceLength).contains(row))
        _ = constant(value)
        boundaries.append((column, row, 0, constantIndex[value]!))
    }

    public func assertBoundary(column: Int, row: Int, equalsPublicInput index: Int) {
        precondition((0..<traceWidth).contains(column) && (0..<traceLength).contains(row) && (0..<publicInputCount).contains(index))
        boundaries.append((column, row, 1, index))
    }

    /// The `AIR1` encoding.
    public func encode() -> [UInt8] {
        var out: [UInt8] = Array("AIR1".utf8)
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        func u64(_ v: Int) { withUnsafeBytes(of: UInt64(v).littleEndian) { out.append(contentsOf: $0) } }
        u32(1)
        u32(traceWidth)
        u64(traceLength)
        u32(publicInputCount)
        u32(constants.count)
        for c in constants { out.append(contentsOf: c.bytes) }
        u32(periodicColumns.count)
        for p in periodicColumns {
            u32(p.count)
            for v in p { out.append(contentsOf: v.bytes) }
        }
        u32(nodes.count)
        for n in nodes {
            u32(Int(n.op))
            u32(Int(n.a))
            u32(Int(n.b))
        }
        u32(constraints.count)
        for c in constraints {
            u32(c.root)
            u32(c.degree)
        }
        u32(boundaries.count)
        for b in boundaries {
            u32(b.column)
            u32(b.row)
            u32(Int(b.kind))
            u32(b.index)
        }
        return out
    }

    /// Evaluates an expression on one row (for trace generators that reuse the AIR's formulas).
    /// `current` / `next` are the rows' cells (nil if the expression must not read them).
    public func evaluate(_ e: AirExpr, current: [Felt], next: [Felt]? = nil, periodicRow: Int = 0, publicInputs: [Felt] = []) -> Felt {
        var memo: [Int: Felt] = [:]
        func eval(_ i: Int) -> Felt {
            if let v = memo[i] { return v }
            let n = nodes[i]
            let v: Felt
            switch n.op {
            case 1: v = constants[Int(n.a)]
            case 2: v = current[Int(n.a)]
            case 3: v = next![Int(n.a)]
            case 4: let p = periodicColumns[Int(n.a)]; v = p[periodicRow % p.count]
            case 5: v = publicInputs[Int(n.a)]
            case 6: v = eval(Int(n.a)) + eval(Int(n.b))
            case 7: v = eval(Int(n.a)) - eval(Int(n.b))
            case 8: v = eval(Int(n.a)) * eval(Int(n.b))
            case 9: v = -eval(Int(n.a))
            default:
                let base = eval(Int(n.a))
                var acc = base
                for _ in 1..<Int(n.b) { acc = acc * base }
                v = acc
            }
            memo[i] = v
            return v
        }
        return eval(e.index)
    }
}

/// A node of an `AirBuilder`'s expression DAG.
public struct AirExpr {
    let builder: AirBuilder
    let index: Int

    /// Trace degree of the expression.
    public var degree: Int { builder.degrees[index] }

    public static func + (a: AirExpr, b: AirExpr) -> AirExpr {
        let (x, y) = (min(a.index, b.index), max(a.index, b.index))
        return a.builder.node(6, x, y, degree: max(a.degree, b.degree))
    }

    public static func - (a: AirExpr, b: AirExpr) -> AirExpr { a.builder.node(7, a.index, b.index, degree: max(a.degree, b.degree)) }

    public static func * (a: AirExpr, b: AirExpr) -> AirExpr {
        let (x, y) = (min(a.index, b.index), max(a.index, b.index))
        return a.builder.node(8, x, y, degree: a.degree + b.degree)
    }

    public static prefix func - (a: AirExpr) -> AirExpr { a.builder.node(9, a.index, degree: a.degree) }

    /// `self^e`, 2 ≤ e ≤ 1024.
    public func power(_ e: Int) -> AirExpr {
        precondition((2...1024).contains(e))
        return builder.node(10, index, e, degree: degree * e)
    }

    public static func + (a: AirExpr, b: Felt) -> AirExpr { a + a.builder.constant(b) }
    public static func - (a: AirExpr, b: Felt) -> AirExpr { a - a.builder.constant(b) }
    public static func * (a: AirExpr, b: Felt) -> AirExpr { a * a.builder.constant(b) }
    public static func * (a: Felt, b: AirExpr) -> AirExpr { b.builder.constant(a) * b }
}

/// A trace in column-major order, written to the ABI's byte layout by `bytes`.
public struct TraceBuffer {
    public let width: Int
    public let length: Int
    public private(set) var columns: [[Felt]]

    public init(width: Int, length: Int) {
        self.width = width
        self.length = length
        columns = Array(repeating: Array(repeating: Felt.zero, count: length), count: width)
    }

    public subscript(row: Int, column: Int) -> Felt {
        get { columns[column][row] }
        set { columns[column][row] = newValue }
    }

    /// Column-major, 32 bytes per element.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: width * length * 32)
        out.withUnsafeMutableBytes { raw in
            var offset = 0
            for column in columns {
                for v in column {
                    for limb in [v.limbs.0, v.limbs.1, v.limbs.2, v.limbs.3] {
                        raw.storeBytes(of: limb.littleEndian, toByteOffset: offset, as: UInt64.self)
                        offset += 8
                    }
                }
            }
        }
        return out
    }
}
