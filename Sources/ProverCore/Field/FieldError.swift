/// An error from parsing, decoding or computing with field elements.
///
/// A struct over a private enum, so new cases can be added without breaking callers; compare
/// against the static members (`error == .valueOutOfRange`) or switch on `code`.
public struct FieldError: CodedError {
    private enum Kind: String, Hashable, Sendable {
        case emptyInput = "empty_input"
        case invalidCharacter = "invalid_character"
        case valueOutOfRange = "value_out_of_range"
        case invalidLength = "invalid_length"
        case divisionByZero = "division_by_zero"
        case invalidModulus = "invalid_modulus"
        case sizeMismatch = "size_mismatch"
        case unsupportedSize = "unsupported_size"
    }

    private let kind: Kind
    /// Human-readable detail (the offending value or position); not part of equality.
    public let detail: String

    private init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    /// A stable machine-readable code, e.g. `value_out_of_range`.
    public var code: String { kind.rawValue }

    /// The text to parse was empty (or only a `0x` prefix).
    public static let emptyInput = FieldError(.emptyInput)
    /// The text contained a character that is not a digit of its base.
    public static let invalidCharacter = FieldError(.invalidCharacter)
    /// The value is not below the modulus.
    public static let valueOutOfRange = FieldError(.valueOutOfRange)
    /// A byte encoding had the wrong length.
    public static let invalidLength = FieldError(.invalidLength)
    /// Zero has no inverse.
    public static let divisionByZero = FieldError(.divisionByZero)
    /// A modulus that is not an odd integer greater than 2.
    public static let invalidModulus = FieldError(.invalidModulus)
    /// Two operands of a vector operation have different lengths.
    public static let sizeMismatch = FieldError(.sizeMismatch)
    /// A size that is not a power of two or exceeds the field's two-adicity.
    public static let unsupportedSize = FieldError(.unsupportedSize)

    static func emptyInput(_ detail: String) -> FieldError { FieldError(.emptyInput, detail) }
    static func invalidCharacter(_ detail: String) -> FieldError { FieldError(.invalidCharacter, detail) }
    static func valueOutOfRange(_ detail: String) -> FieldError { FieldError(.valueOutOfRange, detail) }
    static func invalidLength(_ detail: String) -> FieldError { FieldError(.invalidLength, detail) }
    static func invalidModulus(_ detail: String) -> FieldError { FieldError(.invalidModulus, detail) }
    static func sizeMismatch(_ detail: String) -> FieldError { FieldError(.sizeMismatch, detail) }
    static func unsupportedSize(_ detail: String) -> FieldError { FieldError(.unsupportedSize, detail) }
}
