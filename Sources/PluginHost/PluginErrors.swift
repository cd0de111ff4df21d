import ProverCore
import ProverService

/// Why a plugin was refused at load time. Every message names the file; version mismatches
/// name both the plugin's and the host's version.
public struct PluginLoadError: CodedError {
    enum Kind: String {
        case openFailed = "open_failed"
        case missingEntry = "missing_entry"
        case refused = "refused"
        case abiMajorMismatch = "abi_major_mismatch"
        case descriptorTooSmall = "descriptor_too_small"
        case badMagic = "bad_magic"
        case missingFunction = "missing_function"
        case badDescription = "bad_description"
        case duplicateProofType = "duplicate_proof_type"
        case notFound = "not_found"
    }

    let kind: Kind
    public let detail: String
    /// The file the error is about.
    public let path: String

    init(_ kind: Kind, _ path: String, _ detail: String) {
        self.kind = kind
        self.path = path
        self.detail = "\(path): \(detail)"
    }

    public var code: String { kind.rawValue }

    public static let openFailed = PluginLoadError(.openFailed, "", "")
    public static let missingEntry = PluginLoadError(.missingEntry, "", "")
    public static let refused = PluginLoadError(.refused, "", "")
    public static let abiMajorMismatch = PluginLoadError(.abiMajorMismatch, "", "")
    public static let descriptorTooSmall = PluginLoadError(.descriptorTooSmall, "", "")
    public static let badMagic = PluginLoadError(.badMagic, "", "")
    public static let missingFunction = PluginLoadError(.missingFunction, "", "")
    public static let badDescription = PluginLoadError(.badDescription, "", "")
    public static let duplicateProofType = PluginLoadError(.duplicateProofType, "", "")
    public static let notFound = PluginLoadError(.notFound, "", "")
}

/// A failure of a call into a plugin, or of the statement it returned. Classified by type
/// for ProverService: `invalid_input` and every statement defect are permanent.
public struct PluginCallError: CodedError, ClassifiedError {
    enum Kind: String {
        /// The plugin said the input is invalid (PROVER_INVALID_INPUT).
        case invalidInput = "invalid_input"
        /// The plugin reported a transient failure (PROVER_TRANSIENT), or the task was cancelled.
        case transient = "transient"
        /// The plugin reported a permanent failure (PROVER_PERMANENT) or an unknown status.
        case permanent = "permanent"
        /// The plugin returned output that breaks the ABI (bad JSON, missing buffer).
        case badOutput = "bad_output"
        /// The statement's AIR does not decode or validate.
        case malformedAir = "malformed_air"
        /// The trace's declared or actual size does not match the AIR.
        case traceShape = "trace_shape"
        /// The public inputs are malformed or their count does not match the AIR.
        case publicInputs = "public_inputs"
        /// The trace violates the AIR (a boundary or transition constraint).
        case constraintViolation = "constraint_violation"
        /// No loaded plugin serves the proof type.
        case unknownProofType = "unknown_proof_type"
        /// A dependency's artifact does not verify or does not decode.
        case badDependency = "bad_dependency"
        /// The backend is not one this host can run.
        case unsupportedBackend = "unsupported_backend"
    }

    let kind: Kind
    public let detail: String

    init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var code: String { kind.rawValue }
    public var failureClass: FailureClass { kind == .transient ? .transient : .permanent }

    public static let invalidInput = PluginCallError(.invalidInput, "")
    public static let transient = PluginCallError(.transient, "")
    public static let permanent = PluginCallError(.permanent, "")
    public static let badOutput = PluginCallError(.badOutput, "")
    public static let malformedAir = PluginCallError(.malformedAir, "")
    public static let traceShape = PluginCallError(.traceShape, "")
    public static let publicInputs = PluginCallError(.publicInputs, "")
    public static let constraintViolation = PluginCallError(.constraintViolation, "")
    public static let unknownProofType = PluginCallError(.unknownProofType, "")
    public static let badDependency = PluginCallError(.badDependency, "")
    public static let unsupportedBackend = PluginCallError(.unsupportedBackend, "")
}
