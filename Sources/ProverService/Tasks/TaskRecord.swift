import Foundation

/// Everything stored about one task.
public struct TaskRecord: Sendable, Hashable {
    /// Deterministic id from (proof type, canonical context, backend).
    public let id: TaskID
    /// The routing key of the handler.
    public let proofType: String
    /// The backend (worker pool) that runs it.
    public let backend: String
    /// The canonical context bytes.
    public let context: [UInt8]
    /// Higher runs first.
    public var priority: Int
    public var state: TaskState
    /// Number of transient failures so far (crashes and shutdowns do not count).
    public var attempt: Int
    /// When a `retrying` task runs again.
    public var nextRunAt: Date?
    /// The most recent failure.
    public var lastError: TaskFailure?
    /// Direct dependencies, in the order the handler declared them.
    public let dependencies: [TaskID]
    /// FIFO order among equal priorities, assigned when the task becomes queued.
    public var queueSequence: Int64
    /// The worker that owns a `proving` task.
    public var owner: String?
    /// Per-task timeout in seconds (transient failure when exceeded).
    public var timeoutSeconds: Double?
    public let createdAt: Date
    public var updatedAt: Date

    public init(
        id: TaskID, proofType: String, backend: String, context: [UInt8], priority: Int = 0,
        state: TaskState = .pending, attempt: Int = 0, nextRunAt: Date? = nil, lastError: TaskFailure? = nil,
        dependencies: [TaskID] = [], queueSequence: Int64 = 0, owner: String? = nil,
        timeoutSeconds: Double? = nil, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.proofType = proofType
        self.backend = backend
        self.context = context
        self.priority = priority
        self.state = state
        self.attempt = attempt
        self.nextRunAt = nextRunAt
        self.lastError = lastError
        self.dependencies = dependencies
        self.queueSequence = queueSequence
        self.owner = owner
        self.timeoutSeconds = timeoutSeconds
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// The state with its associated data.
    public var status: TaskStatus {
        switch state {
        case .pending: .pending
        case .waiting: .waiting(on: dependencies)
        case .queued: .queued
        case .proving: .proving(owner: owner)
        case .completed: .completed
        case .retrying: .retrying(attempt: attempt, nextRunAt: nextRunAt ?? updatedAt, lastError: lastError)
        case .failed: .failed(lastError)
        case .cancelled: .cancelled
        }
    }
}
