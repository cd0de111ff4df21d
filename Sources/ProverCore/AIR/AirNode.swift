/// One node of an AIR expression DAG. Operands are indices of earlier nodes in the program's
/// node table, so a cycle cannot be written down (see docs/air.md).
public enum AirNode: Hashable, Sendable {
    /// `constants[index]`.
    case constant(Int)
    /// Trace column `column` on the current row.
    case current(Int)
    /// Trace column `column` on the next row.
    case next(Int)
    /// Periodic column `column` on the current row.
    case periodic(Int)
    /// Public input `index`.
    case publicInput(Int)
    case add(Int, Int)
    case sub(Int, Int)
    case mul(Int, Int)
    case neg(Int)
    /// `base` raised to a small exponent, 2...`AirLimits.maxExponent`.
    case pow(Int, Int)

    /// The op code in the binary encoding.
    public var opCode: UInt32 {
        switch self {
        case .constant: 1
        case .current: 2
        case .next: 3
        case .periodic: 4
        case .publicInput: 5
        case .add: 6
        case .sub: 7
        case .mul: 8
        case .neg: 9
        case .pow: 10
        }
    }

    /// The two operand slots of the encoding (unused slots are 0).
    package var operands: (UInt32, UInt32) {
        switch self {
        case .constant(let i), .current(let i), .next(let i), .periodic(let i), .publicInput(let i), .neg(let i):
            (UInt32(truncatingIfNeeded: i), 0)
        case .add(let a, let b), .sub(let a, let b), .mul(let a, let b), .pow(let a, let b):
            (UInt32(truncatingIfNeeded: a), UInt32(truncatingIfNeeded: b))
        }
    }

    /// Rebuilds a node from its encoded op and operand slots.
    package init(opCode: UInt32, _ a: UInt32, _ b: UInt32, at index: Int) throws(AirError) {
        let x = Int(a), y = Int(b)
        func unary(_ node: AirNode) throws(AirError) -> AirNode {
            guard b == 0 else { throw AirError.malformedNode("node \(index): op \(opCode) uses one operand, second is \(b)") }
            return node
        }
        switch opCode {
        case 1: self = try unary(.constant(x))
        case 2: self = try unary(.current(x))
        case 3: self = try unary(.next(x))
        case 4: self = try unary(.periodic(x))
        case 5: self = try unary(.publicInput(x))
        case 6: self = .add(x, y)
        case 7: self = .sub(x, y)
        case 8: self = .mul(x, y)
        case 9: self = try unary(.neg(x))
        case 10: self = .pow(x, y)
        default: throw AirError.unknownOp("node \(index): op code \(opCode)")
        }
    }

    /// The earlier nodes this node reads.
    package var children: (Int?, Int?) {
        switch self {
        case .constant, .current, .next, .periodic, .publicInput: (nil, nil)
        case .neg(let a), .pow(let a, _): (a, nil)
        case .add(let a, let b), .sub(let a, let b), .mul(let a, let b): (a, b)
        }
    }
}

/// A transition constraint: the expression at node `root` must vanish on every row but the last.
public struct AirConstraint: Hashable, Sendable {
    public var root: Int
    /// The declared degree in the trace cells; must equal the expression's degree.
    public var degree: Int
    public init(root: Int, degree: Int) {
        self.root = root
        self.degree = degree
    }
}

/// The value a boundary assertion requires.
public enum AirBoundaryValue: Hashable, Sendable {
    /// `constants[index]`.
    case constant(Int)
    /// Public input `index`.
    case publicInput(Int)
}

/// A boundary assertion: `trace[row][column] == value`.
public struct AirBoundary: Hashable, Sendable {
    public var column: Int
    public var row: Int
    public var value: AirBoundaryValue
    public init(column: Int, row: Int, value: AirBoundaryValue) {
        self.column = column
        self.row = row
        self.value = value
    }
}

/// Upper bounds a program must respect. The decoder checks every count against them, and
/// against the bytes actually left, before it allocates.
public enum AirLimits {
    public static let maxTraceWidth = 1 << 12
    /// 2^24 rows, so a blowup up to 16 keeps the LDE within the field's 2^28 subgroup.
    public static let maxTraceLength = 1 << 24
    public static let maxPublicInputs = 1 << 16
    public static let maxConstants = 1 << 16
    public static let maxPeriodicColumns = 1 << 10
    /// Total values over all periodic columns.
    public static let maxPeriodicValues = 1 << 20
    public static let maxNodes = 1 << 20
    public static let maxConstraints = 1 << 16
    public static let maxBoundaries = 1 << 20
    public static let maxExponent = 1 << 10
    /// Largest declared degree of a constraint (trace or composition degree).
    public static let maxDegree = 1 << 10
    /// Largest encoding accepted, checked before the bytes are copied (the largest program
    /// within the other limits encodes to about 62 MiB).
    public static let maxEncodedBytes = 64 << 20
}
