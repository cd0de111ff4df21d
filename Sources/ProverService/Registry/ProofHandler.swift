import Foundation

/// Whether a failure may succeed if tried again.
public enum FailureClass: String, Sendable, Hashable, Codable {
    case transient
    case permanent
}

/// An error that knows its own class. The default ``ProofHandler/classify(_:)`` uses it,
/// so classification is by type, never by matching message strings.
public protocol ClassifiedError: Error {
    var failureClass: FailureClass { get }
}

/// A ready-made classified error for handlers.
public struct HandlerError: ClassifiedError, Hashable, CustomStringConvertible {
    public let failureClass: FailureClass
    public let message: String

    /// A failure that may succeed later (network hiccup, resource exhausted).
    public static func transient(_ message: String) -> HandlerError { HandlerError(failureClass: .transient, message: message) }
    /// A failure that will happen again (bad statement, invalid dependency proof).
    public static func permanent(_ message: String) -> HandlerError { HandlerError(failureClass: .permanent, message: message) }

    public var description: String { message }
}

/// The outputs of a dependency, handed to the dependent's handler.
public struct DependencyOutput: Sendable, Hashable {
    public let taskID: TaskID
    public let proofType: String
    public let artifact: ProofArtifact
}

/// What a handler's `prove` receives.
public struct ProofInput: Sendable {
    public let taskID: TaskID
    public let proofType: String
    public let backend: String
    /// The canonical context.
    public let context: [UInt8]
    /// Transient failures before this run.
    public let attempt: Int
    /// Outputs of the direct dependencies, in declared order.
    public let dependencies: [DependencyOutput]
}

/// A handler for one proof type, registered under its routing key.
///
/// `prove` runs on a dedicated worker thread (never Swift's cooperative pool) and may block.
/// It should poll `cancellation` and stop early when it is cancelled.
public protocol ProofHandler: Sendable {
    /// The routing key.
    var proofType: String { get }
    /// Backends this handler can run on; nil means any.
    var supportedBackends: Set<String>? { get }
    /// Returns the canonical form of a context, or throws if the context is invalid.
    func canonicalize(_ context: [UInt8]) throws -> [UInt8]
    /// The proofs this one needs, given its canonical context.
    func dependencies(of context: [UInt8]) throws -> [ProofRequest]
    /// Produces the proof. Throwing ends the attempt; ``classify(_:)`` decides what happens next.
    func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact
    /// Classifies an error thrown by ``prove(_:cancellation:)``.
    func classify(_ error: any Error) -> FailureClass
}

extension ProofHandler {
    public var supportedBackends: Set<String>? { nil }
    public func dependencies(of context: [UInt8]) throws -> [ProofRequest] { [] }
    /// Default: a ``ClassifiedError`` says its class; anything else is permanent.
    public func classify(_ error: any Error) -> FailureClass {
        (error as? any ClassifiedError)?.failureClass ?? .permanent
    }
}
