public import Hummingbird

/// The request context of the daemon's routes: Hummingbird's core storage plus the name of
/// the API key that authenticated the request ("local" when authentication is off).
public struct DaemonRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `APIKeyMiddleware`.
    public var keyName: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        keyName = nil
    }
}
