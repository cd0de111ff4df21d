import ProverCore
import ProverService

extension PluginHost {
    /// One node of a resolved dependency graph.
    public struct ResolvedStatement: Sendable {
        public let proofType: String
        /// Canonical context.
        public let context: [UInt8]
        /// Indices (into the returned array) of its direct dependencies, in declared order.
        public let dependencies: [Int]
        public let statement: PluginStatement
    }

    /// Resolves a request's whole dependency graph in this process and builds every checked
    /// statement, dependencies first (the requested one last). Each statement is built from its
    /// dependencies' public outputs, exactly as the service would hand them over. No proving:
    /// this is what the `native` backend does for a whole graph (and what `prover prove` will
    /// run before proving each node).
    public func resolveStatements(
        proofType: String, context: [UInt8], cancellation: CancellationToken? = nil
    ) throws(PluginCallError) -> [ResolvedStatement] {
        var resolved: [ResolvedStatement] = []
        var index: [String: Int] = [:]
        var visiting: Set<String> = []

        func visit(_ type: String, _ raw: [UInt8]) throws(PluginCallError) -> Int {
            let canonical = try canonicalize(proofType: type, context: raw)
            let key = type + "\u{0}" + String(decoding: canonical, as: UTF8.self)
            if let i = index[key] { return i }
            guard visiting.insert(key).inserted else {
                throw PluginCallError(.badOutput, "\(type) \(String(decoding: canonical, as: UTF8.self)) depends on itself")
            }
            var deps: [Int] = []
            for d in try dependencies(proofType: type, context: canonical) { deps.append(try visit(d.proofType, d.context)) }
            let inputs = deps.map { StatementDependency(proofType: resolved[$0].proofType, context: resolved[$0].context, publicOutputs: resolved[$0].statement.publicInputs) }
            let statement = try statement(proofType: type, context: canonical, dependencies: inputs, cancellation: cancellation)
            visiting.remove(key)
            resolved.append(ResolvedStatement(proofType: type, context: canonical, dependencies: deps, statement: statement))
            index[key] = resolved.count - 1
            return resolved.count - 1
        }

        _ = try visit(proofType, context)
        return resolved
    }
}
