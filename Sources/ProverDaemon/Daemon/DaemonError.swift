/// Why the daemon could not start or was misconfigured: a struct over a private enum with
/// stable codes (cases can be added).
public struct DaemonError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: String, Hashable, Sendable {
        case invalidConfiguration = "invalid_configuration"
        case duplicateProofType = "duplicate_proof_type"
        case storeUnavailable = "store_unavailable"
    }

    private let kind: Kind
    public let detail: String

    private init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    public var code: String { kind.rawValue }
    public var description: String { "\(code): \(detail)" }
    public static func == (a: DaemonError, b: DaemonError) -> Bool { a.kind == b.kind }
    public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

    public static func invalidConfiguration(_ detail: String) -> DaemonError { DaemonError(.invalidConfiguration, detail) }
    public static func duplicateProofType(_ name: String) -> DaemonError { DaemonError(.duplicateProofType, "proof type \(name) is registered twice") }
    public static func storeUnavailable(_ detail: String) -> DaemonError { DaemonError(.storeUnavailable, detail) }
}
