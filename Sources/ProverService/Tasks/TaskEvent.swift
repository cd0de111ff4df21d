import Foundation

/// One state change of one task, as published on ``ProverService/events()``.
public struct TaskEvent: Sendable, Hashable {
    public let id: TaskID
    /// The previous state; nil when the task was just created.
    public let from: TaskState?
    public let to: TaskState
    /// The record after the change.
    public let record: TaskRecord
    public let at: Date
}
