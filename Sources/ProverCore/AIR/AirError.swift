/// An error from building, decoding, validating or checking an AIR program.
///
/// A struct over a private enum, so new cases can be added without breaking callers; compare
/// against the static members (`error == .forwardReference`) or switch on `code`. `detail`
/// names the offending node, constraint, column or row and is not part of equality.
public struct AirError: CodedError {
    private enum Kind: String, Hashable, Sendable {
        case truncated
        case badMagic = "bad_magic"
        case unsupportedVersion = "unsupported_version"
        case trailingBytes = "trailing_bytes"
        case sizeLimit = "size_limit"
        case invalidTraceLength = "invalid_trace_length"
        case invalidFieldElement = "invalid_field_element"
        case unknownOp = "unknown_op"
        case malformedNode = "malformed_node"
        case invalidExponent = "invalid_exponent"
        case columnOutOfRange = "column_out_of_range"
        case periodicOutOfRange = "periodic_out_of_range"
        case constantOutOfRange = "constant_out_of_range"
        case publicInputOutOfRange = "public_input_out_of_range"
        case nodeOutOfRange = "node_out_of_range"
        case forwardReference = "forward_reference"
        case rowOutOfRange = "row_out_of_range"
        case invalidPeriodicColumn = "invalid_periodic_column"
        case degreeMismatch = "degree_mismatch"
        case noConstraints = "no_constraints"
        case traceShape = "trace_shape"
        case publicInputCount = "public_input_count"
        case transitionViolated = "transition_violated"
        case boundaryViolated = "boundary_violated"
    }

    private let kind: Kind
    /// Human-readable detail naming the offending index; not part of equality.
    public let detail: String

    private init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    /// A stable machine-readable code, e.g. `forward_reference`.
    public var code: String { kind.rawValue }


    /// The encoding ended before a field it announced.
    public static let truncated = AirError(.truncated)
    /// The encoding does not start with `AIR1`.
    public static let badMagic = AirError(.badMagic)
    /// The encoding's version is not one this build reads.
    public static let unsupportedVersion = AirError(.unsupportedVersion)
    /// Bytes follow the last section.
    public static let trailingBytes = AirError(.trailingBytes)
    /// A count or size exceeds `AirLimits` (checked before anything is allocated).
    public static let sizeLimit = AirError(.sizeLimit)
    /// The trace length is not a power of two in 2...`AirLimits.maxTraceLength`.
    public static let invalidTraceLength = AirError(.invalidTraceLength)
    /// A 32-byte field element is not the canonical encoding of a value below r.
    public static let invalidFieldElement = AirError(.invalidFieldElement)
    /// A node's op code is not defined.
    public static let unknownOp = AirError(.unknownOp)
    /// A node has a nonzero operand slot its op does not use.
    public static let malformedNode = AirError(.malformedNode)
    /// A `pow` exponent outside 2...`AirLimits.maxExponent`.
    public static let invalidExponent = AirError(.invalidExponent)
    /// A trace column index is not below the trace width.
    public static let columnOutOfRange = AirError(.columnOutOfRange)
    /// A periodic column index is not below the number of periodic columns.
    public static let periodicOutOfRange = AirError(.periodicOutOfRange)
    /// A constant index is not below the number of constants.
    public static let constantOutOfRange = AirError(.constantOutOfRange)
    /// A public input index is not below the public input count.
    public static let publicInputOutOfRange = AirError(.publicInputOutOfRange)
    /// A constraint root names a node that does not exist.
    public static let nodeOutOfRange = AirError(.nodeOutOfRange)
    /// A node refers to itself or a later node: the only way to write a cycle.
    public static let forwardReference = AirError(.forwardReference)
    /// A boundary assertion's row is not below the trace length.
    public static let rowOutOfRange = AirError(.rowOutOfRange)
    /// A periodic column's cycle is empty, not a power of two, or longer than the trace.
    public static let invalidPeriodicColumn = AirError(.invalidPeriodicColumn)
    /// A declared constraint degree differs from the degree of its expression.
    public static let degreeMismatch = AirError(.degreeMismatch)
    /// The program has no transition constraints.
    public static let noConstraints = AirError(.noConstraints)
    /// A trace's width or length does not match the program.
    public static let traceShape = AirError(.traceShape)
    /// The number of public inputs does not match the program.
    public static let publicInputCount = AirError(.publicInputCount)
    /// A transition constraint is nonzero on some row of a trace.
    public static let transitionViolated = AirError(.transitionViolated)
    /// A boundary assertion does not hold on a trace.
    public static let boundaryViolated = AirError(.boundaryViolated)

    static func truncated(_ d: String) -> AirError { AirError(.truncated, d) }
    static func badMagic(_ d: String) -> AirError { AirError(.badMagic, d) }
    static func unsupportedVersion(_ d: String) -> AirError { AirError(.unsupportedVersion, d) }
    static func trailingBytes(_ d: String) -> AirError { AirError(.trailingBytes, d) }
    static func sizeLimit(_ d: String) -> AirError { AirError(.sizeLimit, d) }
    static func invalidTraceLength(_ d: String) -> AirError { AirError(.invalidTraceLength, d) }
    static func invalidFieldElement(_ d: String) -> AirError { AirError(.invalidFieldElement, d) }
    static func unknownOp(_ d: String) -> AirError { AirError(.unknownOp, d) }
    static func malformedNode(_ d: String) -> AirError { AirError(.malformedNode, d) }
    static func invalidExponent(_ d: String) -> AirError { AirError(.invalidExponent, d) }
    static func columnOutOfRange(_ d: String) -> AirError { AirError(.columnOutOfRange, d) }
    static func periodicOutOfRange(_ d: String) -> AirError { AirError(.periodicOutOfRange, d) }
    static func constantOutOfRange(_ d: String) -> AirError { AirError(.constantOutOfRange, d) }
    static func publicInputOutOfRange(_ d: String) -> AirError { AirError(.publicInputOutOfRange, d) }
    static func nodeOutOfRange(_ d: String) -> AirError { AirError(.nodeOutOfRange, d) }
    static func forwardReference(_ d: String) -> AirError { AirError(.forwardReference, d) }
    static func rowOutOfRange(_ d: String) -> AirError { AirError(.rowOutOfRange, d) }
    static func invalidPeriodicColumn(_ d: String) -> AirError { AirError(.invalidPeriodicColumn, d) }
    static func degreeMismatch(_ d: String) -> AirError { AirError(.degreeMismatch, d) }
    static func noConstraints(_ d: String) -> AirError { AirError(.noConstraints, d) }
    static func traceShape(_ d: String) -> AirError { AirError(.traceShape, d) }
    static func publicInputCount(_ d: String) -> AirError { AirError(.publicInputCount, d) }
    static func transitionViolated(_ d: String) -> AirError { AirError(.transitionViolated, d) }
    static func boundaryViolated(_ d: String) -> AirError { AirError(.boundaryViolated, d) }
}
