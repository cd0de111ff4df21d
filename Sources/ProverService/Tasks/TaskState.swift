import Foundation

/// The life-cycle state of a task.
///
/// ```
/// pending ──► waiting ──► queued ──► proving ──► completed
///    │           │          │  ▲        │ │ │
///    │           │          │  │        │ │ └─► retrying ──► queued
///    │           │          │  └────────┘ │      (timer)
///    ▼           ▼          ▼  (recovery, ▼
///  failed / cancelled ◄─────┘   shutdown) failed / cancelled
///    │
///    └──► pending   (resubmitted with retry)
/// ```
public enum TaskState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Stored, not yet evaluated against its dependencies.
    case pending
    /// Waiting for at least one dependency to complete.
    case waiting
    /// Runnable: every dependency completed; waits for a worker.
    case queued
    /// A worker owns it and is running its handler.
    case proving
    /// Its proof is stored. Final.
    case completed
    /// Failed transiently; runs again at `nextRunAt`.
    case retrying
    /// Failed permanently, or ran out of attempts. Final until resubmitted with retry.
    case failed
    /// Cancelled. Final until resubmitted with retry.
    case cancelled

    /// Whether the task has finished (completed, failed or cancelled).
    public var isFinal: Bool { self == .completed || self == .failed || self == .cancelled }

    /// The states this state may move to.
    public var allowedNextStates: Set<TaskState> {
        switch self {
        case .pending: [.waiting, .queued, .failed, .cancelled]
        case .waiting: [.queued, .failed, .cancelled]
        case .queued: [.proving, .cancelled]
        case .proving: [.completed, .retrying, .failed, .cancelled, .queued]
        case .retrying: [.queued, .cancelled]
        case .completed: []
        case .failed: [.pending]
        case .cancelled: [.pending]
        }
    }

    /// Whether `self → next` is a legal transition.
    public func canTransition(to next: TaskState) -> Bool { allowedNextStates.contains(next) }
}

/// A task's state together with the data that belongs to it.
public enum TaskStatus: Sendable, Hashable {
    case pending
    case waiting(on: [TaskID])
    case queued
    case proving(owner: String?)
    case completed
    case retrying(attempt: Int, nextRunAt: Date, lastError: TaskFailure?)
    case failed(TaskFailure?)
    case cancelled
}
