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
    public var allowedNextStates: Set<TaskState> { Set(TaskState.allCases.filter { canTransition(to: $0) }) }

    /// Whether `self → next` is a legal transition.
    public func canTransition(to next: TaskState) -> Bool {
        switch (self, next) {
        case (.pending, .waiting), (.pending, .queued), (.pending, .failed), (.pending, .cancelled),
             (.waiting, .queued), (.waiting, .failed), (.waiting, .cancelled),
             (.queued, .proving), (.queued, .cancelled),
             (.proving, .completed), (.proving, .retrying), (.proving, .failed), (.proving, .cancelled), (.proving, .queued),
             (.retrying, .queued), (.retrying, .cancelled),
             (.failed, .pending), (.cancelled, .pending):
            true
        default:
            false
        }
    }
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
