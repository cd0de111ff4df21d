/// A Swift DSL that builds an `AirProgram`:
///
/// ```swift
/// let b = AirBuilder(traceWidth: 2, traceLength: 8)
/// let a = b.current(0)
/// b.assertTransition(a * a - b.next(1), degree: 2)
/// let program = try b.build()
/// ```
///
/// Nodes are hash-consed: building the same subexpression twice (including `x + y` and
/// `y + x`) yields one node; equal constants share one entry of the constant table and equal
/// periodic cycles one periodic column.
/// Index errors (a column past the width, …) surface from `build()`.
public final class AirBuilder {
    public let traceWidth: Int
    public let traceLength: Int
    public let publicInputCount: Int
    private var nodes: [AirNode] = []
    private var nodeIndex: [AirNode: Int] = [:]
    private var constants: [Fr] = []
    private var constantIndex: [Fr: Int] = [:]
    private var periodicColumns: [[Fr]] = []
    private var periodicIndex: [[Fr]: Int] = [:]
    private var constraints: [AirConstraint] = []
    private var boundaries: [AirBoundary] = []

    public init(traceWidth: Int, traceLength: Int, publicInputCount: Int = 0) {
        self.traceWidth = traceWidth
        self.traceLength = traceLength
        self.publicInputCount = publicInputCount
    }

    /// Number of distinct nodes so far.
    public var nodeCount: Int { nodes.count }

    /// Trace column `column` on the current row.
    public func current(_ column: Int) -> AirExpression { node(.current(column)) }
    /// Trace column `column` on the next row.
    public func next(_ column: Int) -> AirExpression { node(.next(column)) }
    /// Public input `index`.
    public func publicInput(_ index: Int) -> AirExpression { node(.publicInput(index)) }
    /// A constant.
    public func constant(_ value: Fr) -> AirExpression { node(.constant(constantSlot(value))) }

    /// Adds a periodic column (a power-of-two cycle repeating down the trace) and returns its
    /// value on the current row. An identical cycle added twice is one column.
    public func periodic(_ cycle: [Fr]) -> AirExpression {
        if let p = periodicIndex[cycle] { return node(.periodic(p)) }
        periodicColumns.append(cycle)
        periodicIndex[cycle] = periodicColumns.count - 1
        return node(.periodic(periodicColumns.count - 1))
    }

    /// Requires `expression` to vanish on every row but the last; `degree` is its degree in the
    /// trace cells, checked by `build()`.
    public func assertTransition(_ expression: AirExpression, degree: Int) {
        constraints.append(AirConstraint(root: expression.node, degree: degree))
    }

    /// Requires `trace[row][column] == value`.
    public func assertBoundary(column: Int, row: Int, equals value: Fr) {
        boundaries.append(AirBoundary(column: column, row: row, value: .constant(constantSlot(value))))
    }

    /// Requires `trace[row][column]` to equal public input `index`.
    public func assertBoundary(column: Int, row: Int, equalsPublicInput index: Int) {
        boundaries.append(AirBoundary(column: column, row: row, value: .publicInput(index)))
    }

    /// Validates and returns the program.
    public func build() throws(AirError) -> AirProgram {
        try AirProgram(
            traceWidth: traceWidth, traceLength: traceLength, publicInputCount: publicInputCount, constants: constants,
            periodicColumns: periodicColumns, nodes: nodes, constraints: constraints, boundaries: boundaries)
    }

    private func constantSlot(_ value: Fr) -> Int {
        if let i = constantIndex[value] { return i }
        constants.append(value)
        constantIndex[value] = constants.count - 1
        return constants.count - 1
    }

    func node(_ n: AirNode) -> AirExpression {
        var n = n
        // Commutative ops take their operands in order, so x+y and y+x share a node.
        switch n {
        case .add(let a, let b) where a > b: n = .add(b, a)
        case .mul(let a, let b) where a > b: n = .mul(b, a)
        default: break
        }
        if let i = nodeIndex[n] { return AirExpression(builder: self, node: i) }
        nodes.append(n)
        nodeIndex[n] = nodes.count - 1
        return AirExpression(builder: self, node: nodes.count - 1)
    }
}

/// A node of the program an `AirBuilder` is building. Combine with `+ - *`, unary `-` and
/// `power(_:)`; `Fr` operands become constants.
public struct AirExpression {
    public let builder: AirBuilder
    /// Index of the node in the program's node table.
    public let node: Int

    /// `self` raised to `exponent` (2...`AirLimits.maxExponent`; 1 returns `self`).
    public func power(_ exponent: Int) -> AirExpression {
        exponent == 1 ? self : builder.node(.pow(node, exponent))
    }

    private static func join(_ a: AirExpression, _ b: AirExpression) -> AirBuilder {
        precondition(a.builder === b.builder, "AirExpressions from different builders")
        return a.builder
    }

    public static func + (a: AirExpression, b: AirExpression) -> AirExpression { join(a, b).node(.add(a.node, b.node)) }
    public static func - (a: AirExpression, b: AirExpression) -> AirExpression { join(a, b).node(.sub(a.node, b.node)) }
    public static func * (a: AirExpression, b: AirExpression) -> AirExpression { join(a, b).node(.mul(a.node, b.node)) }
    public static prefix func - (a: AirExpression) -> AirExpression { a.builder.node(.neg(a.node)) }

    public static func + (a: AirExpression, b: Fr) -> AirExpression { a + a.builder.constant(b) }
    public static func + (a: Fr, b: AirExpression) -> AirExpression { b.builder.constant(a) + b }
    public static func - (a: AirExpression, b: Fr) -> AirExpression { a - a.builder.constant(b) }
    public static func - (a: Fr, b: AirExpression) -> AirExpression { b.builder.constant(a) - b }
    public static func * (a: AirExpression, b: Fr) -> AirExpression { a * a.builder.constant(b) }
    public static func * (a: Fr, b: AirExpression) -> AirExpression { b.builder.constant(a) * b }
}
