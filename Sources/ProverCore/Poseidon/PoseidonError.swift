/// An error from the Poseidon hash: a struct over a private enum with stable codes.
public struct PoseidonError: CodedError {
    private enum Kind: String, Hashable, Sendable {
        case invalidInputCount = "invalid_input_count"
        case invalidWidth = "invalid_width"
    }

    private let kind: Kind
    /// Human-readable detail; not part of equality.
    public let detail: String

    private init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    /// A stable machine-readable code.
    public var code: String { kind.rawValue }

    /// Poseidon hashes 1...16 inputs.
    public static let invalidInputCount = PoseidonError(.invalidInputCount)
    /// The permutation exists for widths 2...17.
    public static let invalidWidth = PoseidonError(.invalidWidth)

    static func invalidInputCount(_ count: Int) -> PoseidonError {
        PoseidonError(.invalidInputCount, "Poseidon takes 1...16 inputs, got \(count)")
    }

    static func invalidWidth(_ width: Int) -> PoseidonError {
        PoseidonError(.invalidWidth, "Poseidon widths are 2...17, got \(width)")
    }
}
