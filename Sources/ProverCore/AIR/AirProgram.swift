/// An AIR (algebraic intermediate representation) as data: the trace shape, transition
/// constraints as an expression DAG over the current and next row, periodic columns, public
/// inputs, constants and boundary assertions (docs/air.md).
///
/// A value of this type is always valid: the initializer (used by `AirBuilder` and by the
/// decoder) checks every index, the topological order of the node table, the periodic cycles,
/// the size limits and each declared degree, and throws `AirError` otherwise.
public struct AirProgram: Hashable, Sendable {
    /// Number of trace columns.
    public let traceWidth: Int
    /// Number of trace rows, a power of two.
    public let traceLength: Int
    /// Number of public inputs the statement supplies.
    public let publicInputCount: Int
    /// Constant field elements referenced by `.constant` nodes and boundary values.
    public let constants: [Fr]
    /// Periodic columns: each a cycle of values (power-of-two length dividing `traceLength`)
    /// repeating down the trace; row `i` reads `cycle[i % cycle.count]`.
    public let periodicColumns: [[Fr]]
    /// The expression DAG in topological order: operands are earlier indices.
    public let nodes: [AirNode]
    /// Transition constraints, each a root node that must vanish on rows 0..<traceLength-1.
    public let constraints: [AirConstraint]
    /// Boundary assertions.
    public let boundaries: [AirBoundary]

    /// Creates and validates a program.
    public init(
        traceWidth: Int, traceLength: Int, publicInputCount: Int = 0, constants: [Fr] = [],
        periodicColumns: [[Fr]] = [], nodes: [AirNode], constraints: [AirConstraint], boundaries: [AirBoundary] = []
    ) throws(AirError) {
        self.traceWidth = traceWidth
        self.traceLength = traceLength
        self.publicInputCount = publicInputCount
        self.constants = constants
        self.periodicColumns = periodicColumns
        self.nodes = nodes
        self.constraints = constraints
        self.boundaries = boundaries
        try validateShape()
        try validateNodes()
        try validateConstraints()
        try validateBoundaries()
    }

    /// Degree of each node in the trace cells (periodic columns, constants and public inputs
    /// count 0), saturating at `Int32.max`.
    public var traceDegrees: [Int] { degrees(periodicDegree: 0) }

    /// Degree of each node counting periodic columns as degree 1 as well: constraint `k`
    /// evaluated over the trace domain is a polynomial of degree at most
    /// `compositionDegrees[root] * (traceLength - 1)` (docs/air.md).
    public var compositionDegrees: [Int] { degrees(periodicDegree: 1) }

    /// The largest composition degree over all constraints: the blowup must be at least this
    /// (and the composition polynomial has degree below `maxCompositionDegree * traceLength`).
    public var maxCompositionDegree: Int {
        let d = compositionDegrees
        return constraints.map { d[$0.root] }.max() ?? 0
    }

    /// The value a boundary assertion requires, given the statement's public inputs.
    public func value(of boundary: AirBoundary, publicInputs: [Fr]) -> Fr {
        switch boundary.value {
        case .constant(let i): constants[i]
        case .publicInput(let i): publicInputs[i]
        }
    }

    private func degrees(periodicDegree: Int) -> [Int] {
        let cap = Int(Int32.max)
        var d = [Int](repeating: 0, count: nodes.count)
        for (i, node) in nodes.enumerated() {
            switch node {
            case .constant, .publicInput: d[i] = 0
            case .current, .next: d[i] = 1
            case .periodic: d[i] = periodicDegree
            case .add(let a, let b), .sub(let a, let b): d[i] = max(d[a], d[b])
            case .mul(let a, let b): d[i] = min(cap, d[a] + d[b])
            case .neg(let a): d[i] = d[a]
            case .pow(let a, let e): d[i] = d[a] == 0 ? 0 : min(cap, d[a].multipliedReportingOverflow(by: e).overflow ? cap : d[a] * e)
            }
        }
        return d
    }

    private func validateShape() throws(AirError) {
        guard (1...AirLimits.maxTraceWidth).contains(traceWidth) else {
            throw AirError.sizeLimit("trace width \(traceWidth) not in 1...\(AirLimits.maxTraceWidth)")
        }
        guard traceLength >= 2, traceLength <= AirLimits.maxTraceLength, traceLength & (traceLength - 1) == 0 else {
            throw AirError.invalidTraceLength("trace length \(traceLength) is not a power of two in 2...\(AirLimits.maxTraceLength)")
        }
        try Self.checkCount(publicInputCount, AirLimits.maxPublicInputs, "public input count")
        try Self.checkCount(constants.count, AirLimits.maxConstants, "constant count")
        try Self.checkCount(periodicColumns.count, AirLimits.maxPeriodicColumns, "periodic column count")
        try Self.checkCount(nodes.count, AirLimits.maxNodes, "node count")
        try Self.checkCount(constraints.count, AirLimits.maxConstraints, "constraint count")
        try Self.checkCount(boundaries.count, AirLimits.maxBoundaries, "boundary count")
        var total = 0
        for (p, cycle) in periodicColumns.enumerated() {
            let n = cycle.count
            guard n >= 1, n & (n - 1) == 0, n <= traceLength else {
                throw AirError.invalidPeriodicColumn("periodic column \(p): cycle length \(n) is not a power of two dividing \(traceLength)")
            }
            total += n
        }
        try Self.checkCount(total, AirLimits.maxPeriodicValues, "total periodic values")
    }

    package static func checkCount(_ n: Int, _ limit: Int, _ what: String) throws(AirError) {
        guard n >= 0, n <= limit else { throw AirError.sizeLimit("\(what) \(n) exceeds \(limit)") }
    }

    private func validateNodes() throws(AirError) {
        for (i, node) in nodes.enumerated() {
            switch node {
            case .constant(let c):
                guard (0..<constants.count).contains(c) else { throw AirError.constantOutOfRange("node \(i): constant \(c) of \(constants.count)") }
            case .current(let c), .next(let c):
                guard (0..<traceWidth).contains(c) else { throw AirError.columnOutOfRange("node \(i): column \(c) of width \(traceWidth)") }
            case .periodic(let p):
                guard (0..<periodicColumns.count).contains(p) else {
                    throw AirError.periodicOutOfRange("node \(i): periodic column \(p) of \(periodicColumns.count)")
                }
            case .publicInput(let k):
                guard (0..<publicInputCount).contains(k) else {
                    throw AirError.publicInputOutOfRange("node \(i): public input \(k) of \(publicInputCount)")
                }
            case .pow(_, let e):
                guard (2...AirLimits.maxExponent).contains(e) else { throw AirError.invalidExponent("node \(i): exponent \(e)") }
            case .add, .sub, .mul, .neg: break
            }
            let (a, b) = node.children
            for child in [a, b] {
                if let child, !(0..<i).contains(child) {
                    throw AirError.forwardReference("node \(i) refers to node \(child), not an earlier node")
                }
            }
        }
    }

    private func validateConstraints() throws(AirError) {
        guard !constraints.isEmpty else { throw AirError.noConstraints("a program needs at least one transition constraint") }
        let trace = traceDegrees
        let composition = compositionDegrees
        for (k, c) in constraints.enumerated() {
            guard (0..<nodes.count).contains(c.root) else {
                throw AirError.nodeOutOfRange("constraint \(k): root \(c.root) of \(nodes.count) nodes")
            }
            guard c.degree == trace[c.root] else {
                throw AirError.degreeMismatch("constraint \(k): declared degree \(c.degree), expression has degree \(trace[c.root])")
            }
            guard composition[c.root] <= AirLimits.maxDegree else {
                throw AirError.sizeLimit("constraint \(k): degree \(composition[c.root]) exceeds \(AirLimits.maxDegree)")
            }
        }
    }

    private func validateBoundaries() throws(AirError) {
        for (k, b) in boundaries.enumerated() {
            guard (0..<traceWidth).contains(b.column) else {
                throw AirError.columnOutOfRange("boundary \(k): column \(b.column) of width \(traceWidth)")
            }
            guard (0..<traceLength).contains(b.row) else {
                throw AirError.rowOutOfRange("boundary \(k): row \(b.row) of \(traceLength)")
            }
            switch b.value {
            case .constant(let c):
                guard (0..<constants.count).contains(c) else { throw AirError.constantOutOfRange("boundary \(k): constant \(c) of \(constants.count)") }
            case .publicInput(let p):
                guard (0..<publicInputCount).contains(p) else {
                    throw AirError.publicInputOutOfRange("boundary \(k): public input \(p) of \(publicInputCount)")
                }
            }
        }
    }
}
