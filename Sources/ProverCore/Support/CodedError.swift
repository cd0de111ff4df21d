/// An error identified by a stable machine-readable `code`, carrying a human-readable `detail`
/// that is not part of its identity: two errors are equal when their codes are.
///
/// ProverCore's error structs (a struct over a private enum, so cases can be added) conform
/// and get equality, hashing and `description` ("code: detail") from here.
public protocol CodedError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable machine-readable code, e.g. `value_out_of_range`.
    var code: String { get }
    /// Human-readable detail (the offending value, index or position); not part of equality.
    var detail: String { get }
}

extension CodedError {
    public var description: String { detail.isEmpty ? code : "\(code): \(detail)" }
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
