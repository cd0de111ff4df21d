import Hummingbird
import ProverCore

/// Bearer-token authentication. Keys are stored as BLAKE3 digests of the tokens, so the
/// configuration never holds a usable secret; a request's token is hashed and looked up.
/// With no keys configured (allowed on loopback only) every request is "local".
/// `/healthz` and `/readyz` are open so load balancers can probe without a key.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = DaemonRequestContext
    /// Digest (hex) → key name.
    let keys: [String: String]
    static let openPaths: Set<String> = ["/healthz", "/readyz"]

    init(keys: [String: String]) {
        self.keys = Dictionary(keys.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    }


    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if keys.isEmpty || Self.openPaths.contains(request.uri.path) {
            context.keyName = keys.isEmpty ? "local" : "anonymous"
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, "missing bearer token (Authorization: Bearer <api key>)")
        }
        let token = header.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.count <= 512, let name = keys[APIKeyDigest.of(String(token))] else {
            throw APIError(.unauthorized, "unknown API key")
        }
        context.keyName = name
        return try await next(request, context)
    }
}

/// How API keys are stored in the configuration: the lowercase hex BLAKE3 digest of the
/// bearer token's UTF-8 bytes (`prover serve --hash-api-key TOKEN` prints it).
public enum APIKeyDigest {
    public static func of(_ token: String) -> String { Blake3.hash(Array(token.utf8)).hex }
}
