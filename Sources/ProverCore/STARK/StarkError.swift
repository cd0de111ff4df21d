/// Why the STARK prover refused to prove or the verifier rejected a proof: a struct over a
/// private enum with stable codes (cases can be added), and a detail naming the offending
/// value, index or phase.
public struct StarkError: CodedError {
    private enum Kind: String, Hashable, Sendable {
        case invalidParameters = "invalid_parameters"
        case parameterMismatch = "parameter_mismatch"
        case blowupTooSmall = "blowup_too_small"
        case domainTooLarge = "domain_too_large"
        case memoryLimit = "memory_limit"
        case invalidStatement = "invalid_statement"
        case cancelled = "cancelled"
        case malformedProof = "malformed_proof"
        case unsupportedVersion = "unsupported_version"
        case oodMismatch = "ood_mismatch"
        case grindingFailed = "grinding_failed"
        case commitmentMismatch = "commitment_mismatch"
        case friMismatch = "fri_mismatch"
        case internalError = "internal"
    }

    private let kind: Kind
    public let detail: String

    private init(_ kind: Kind, _ detail: String = "") {
        self.kind = kind
        self.detail = detail
    }

    public var code: String { kind.rawValue }

    /// Parameters outside their allowed ranges (blowup, queries, folding factor…).
    public static let invalidParameters = StarkError(.invalidParameters)
    /// The proof was made with other parameters than the verifier expects.
    public static let parameterMismatch = StarkError(.parameterMismatch)
    /// The AIR's constraint degree needs a larger blowup than the parameters give.
    public static let blowupTooSmall = StarkError(.blowupTooSmall)
    /// trace length × blowup exceeds the field's two-adicity (2^28).
    public static let domainTooLarge = StarkError(.domainTooLarge)
    /// The prover's memory estimate exceeds the configured limit.
    public static let memoryLimit = StarkError(.memoryLimit)
    /// The trace or public inputs do not satisfy the AIR (the wrapped `AirError` is in the detail).
    public static let invalidStatement = StarkError(.invalidStatement)
    /// The caller cancelled the proof between two phases.
    public static let cancelled = StarkError(.cancelled)
    /// The proof bytes are truncated, extended, or a count or value in them is out of range.
    public static let malformedProof = StarkError(.malformedProof)
    /// The proof's magic or version is not one this build reads.
    public static let unsupportedVersion = StarkError(.unsupportedVersion)
    /// The composition polynomial at the out-of-domain point disagrees with the constraints.
    public static let oodMismatch = StarkError(.oodMismatch)
    /// The proof-of-work nonce does not have the required leading zero bits.
    public static let grindingFailed = StarkError(.grindingFailed)
    /// An opened row or FRI leaf does not belong to its Merkle commitment.
    public static let commitmentMismatch = StarkError(.commitmentMismatch)
    /// A FRI folding step or the remainder polynomial is inconsistent with the openings.
    public static let friMismatch = StarkError(.friMismatch)
    /// A prover-side invariant failed (a bug, not bad input).
    public static let internalError = StarkError(.internalError)

    static func invalidParameters(_ d: String) -> StarkError { StarkError(.invalidParameters, d) }
    static func parameterMismatch(_ d: String) -> StarkError { StarkError(.parameterMismatch, d) }
    static func blowupTooSmall(_ d: String) -> StarkError { StarkError(.blowupTooSmall, d) }
    static func domainTooLarge(_ d: String) -> StarkError { StarkError(.domainTooLarge, d) }
    static func memoryLimit(_ d: String) -> StarkError { StarkError(.memoryLimit, d) }
    static func invalidStatement(_ d: String) -> StarkError { StarkError(.invalidStatement, d) }
    static func cancelled(_ d: String) -> StarkError { StarkError(.cancelled, d) }
    static func malformedProof(_ d: String) -> StarkError { StarkError(.malformedProof, d) }
    static func unsupportedVersion(_ d: String) -> StarkError { StarkError(.unsupportedVersion, d) }
    static func oodMismatch(_ d: String) -> StarkError { StarkError(.oodMismatch, d) }
    static func grindingFailed(_ d: String) -> StarkError { StarkError(.grindingFailed, d) }
    static func commitmentMismatch(_ d: String) -> StarkError { StarkError(.commitmentMismatch, d) }
    static func friMismatch(_ d: String) -> StarkError { StarkError(.friMismatch, d) }
    static func internalError(_ d: String) -> StarkError { StarkError(.internalError, d) }
}
