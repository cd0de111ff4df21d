/// An error from the orchestration layer.
///
/// A struct over a private code so that cases can be added without breaking callers.
/// Compare errors with `==` against the static members (`error == .unknownTask`);
/// equality looks only at the code, never at the human-readable ``detail``.
public struct ProverServiceError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case unknownProofType = "unknown_proof_type"
        case invalidContext = "invalid_context"
        case unknownTask = "unknown_task"
        case unsupportedBackend = "unsupported_backend"
        case dependencyCycle = "dependency_cycle"
        case illegalTransition = "illegal_transition"
        case stateConflict = "state_conflict"
        case schemaTooNew = "schema_too_new"
        case storage = "storage"
        case proofConflict = "proof_conflict"
        case shuttingDown = "shutting_down"
        case taskFailed = "task_failed"
        case taskCancelled = "task_cancelled"
        case invalidCursor = "invalid_cursor"
        case valueTooLarge = "value_too_large"
    }

    private let code: Code
    /// Human-readable detail; not part of equality.
    public let detail: String

    private init(_ code: Code, _ detail: String = "") {
        self.code = code
        self.detail = detail
    }

    /// The stable, machine-readable code, e.g. `"unknown_task"`.
    public var codeString: String { code.rawValue }

    /// Whether retrying the same call later may succeed.
    public var isRetryable: Bool {
        switch code {
        case .storage, .shuttingDown, .stateConflict: true
        default: false
        }
    }

    /// Returns the same error with a detail message attached.
    public func with(_ detail: String) -> ProverServiceError { ProverServiceError(code, detail) }

    public var description: String {
        detail.isEmpty ? "ProverServiceError.\(code.rawValue)" : "ProverServiceError.\(code.rawValue): \(detail)"
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// No handler is registered for the proof type.
    public static let unknownProofType = ProverServiceError(.unknownProofType)
    /// The handler rejected the context while canonicalizing it.
    public static let invalidContext = ProverServiceError(.invalidContext)
    /// No task has this id.
    public static let unknownTask = ProverServiceError(.unknownTask)
    /// The handler does not support the backend, or no pool serves it.
    public static let unsupportedBackend = ProverServiceError(.unsupportedBackend)
    /// The dependency graph of a submission contains a cycle.
    public static let dependencyCycle = ProverServiceError(.dependencyCycle)
    /// The requested state change is not allowed by the state machine.
    public static let illegalTransition = ProverServiceError(.illegalTransition)
    /// The task was not in the state (or owned by the worker) the update expected.
    public static let stateConflict = ProverServiceError(.stateConflict)
    /// The database was written by a newer version of this software.
    public static let schemaTooNew = ProverServiceError(.schemaTooNew)
    /// The store failed (I/O, SQLite error, corrupt row).
    public static let storage = ProverServiceError(.storage)
    /// A different proof is already stored for this task (proofs are write-once).
    public static let proofConflict = ProverServiceError(.proofConflict)
    /// The service is shutting down and accepts no new work.
    public static let shuttingDown = ProverServiceError(.shuttingDown)
    /// `execute` waited for a task that ended in `failed`.
    public static let taskFailed = ProverServiceError(.taskFailed)
    /// `execute` waited for a task that ended in `cancelled`.
    public static let taskCancelled = ProverServiceError(.taskCancelled)
    /// A list cursor could not be decoded.
    public static let invalidCursor = ProverServiceError(.invalidCursor)
    /// A proof, context or other value is larger than the store can hold (SQLite: its length
    /// limit, 1,000,000,000 bytes by default). Storing it again will fail again.
    public static let valueTooLarge = ProverServiceError(.valueTooLarge)
}
