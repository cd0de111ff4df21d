/// Why a task attempt failed. Stored with the task (durable), shown in status.
public struct TaskFailure: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A stable code: `handler`, `timeout`, `dependency_failed`, `dependency_cancelled`,
    /// `dependency_missing`, `unknown_proof_type`, `storage` (the store failed; transient),
    /// `value_too_large` (the proof is larger than the store can hold; permanent).
    public var code: String
    /// Human-readable message.
    public var message: String
    /// Whether the failure was classified transient (retryable).
    public var isTransient: Bool

    public init(code: String, message: String, isTransient: Bool) {
        self.code = code
        self.message = message
        self.isTransient = isTransient
    }

    public var description: String { "\(code)\(isTransient ? " (transient)" : ""): \(message)" }

    static func dependency(_ dep: TaskID, state: TaskState, cause: TaskFailure?) -> TaskFailure {
        let code = state == .cancelled ? "dependency_cancelled" : "dependency_failed"
        let why = cause.map { ": \($0)" } ?? ""
        return TaskFailure(code: code, message: "dependency \(dep) \(state.rawValue)\(why)", isTransient: false)
    }
}
