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

    /// An event; stores create them for the transitions they commit.
    public init(id: TaskID, from: TaskState?, to: TaskState, record: TaskRecord, at: Date) {
        self.id = id
        self.from = from
        self.to = to
        self.record = record
        self.at = at
    }
}
