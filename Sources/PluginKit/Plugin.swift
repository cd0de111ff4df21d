import CProverABI
import Foundation

/// One proof type a plugin serves (it appears in `describe()`).
public struct ProofTypeInfo: Sendable {
    public let name: String
    public let description: String
    /// A JSON Schema of the context, as compact JSON text.
    public let contextSchema: String
    /// Names of the statement's public inputs, in order.
    public let publicInputs: [String]

    public init(name: String, description: String, contextSchema: String, publicInputs: [String]) {
        self.name = name
        self.description = description
        self.contextSchema = contextSchema
        self.publicInputs = publicInputs
    }
}

/// A dependency a context needs: a proof type and its context (JSON).
public struct DependencyRequest: Sendable {
    public let proofType: String
    public let context: [UInt8]

    public init(proofType: String, context: [UInt8]) {
        self.proofType = proofType
        self.context = context
    }
}

/// The outputs of a dependency as `statement` receives them.
public struct DependencyOutputs: Sendable {
    public let proofType: String
    public let context: [UInt8]
    /// The dependency's public inputs.
    public let publicOutputs: [Felt]
}

/// What `statement` returns: an AIR (built with `AirBuilder`), a satisfying trace and the
/// public inputs.
public struct Statement {
    public let air: AirBuilder
    public let trace: TraceBuffer
    public let publicInputs: [Felt]

    public init(air: AirBuilder, trace: TraceBuffer, publicInputs: [Felt]) {
        self.air = air
        self.trace = trace
        self.publicInputs = publicInputs
    }
}

/// A proof-type plugin written in Swift. Implement it, then export it:
///
/// ```swift
/// @_cdecl("prover_plugin_entry_v1")
/// public func entry(_ major: UInt32, _ minor: UInt32, _ host: UnsafePointer<prover_host_api_v1>?) -> UnsafeRawPointer? {
///     PluginExport.entry(MyPlugin(), hostABIMajor: major, hostABIMinor: minor, host: host)
/// }
/// ```
///
/// Methods may run on several threads at once: keep per-call state local.
public protocol ProverPlugin: Sendable {
    var name: String { get }
    var version: String { get }
    var summary: String { get }
    var proofTypes: [ProofTypeInfo] { get }

    /// Validates a context and returns its canonical bytes.
    func canonicalize(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> [UInt8]
    /// The proofs a canonical context depends on.
    func dependencies(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> [DependencyRequest]
    /// The AIR of a canonical context alone (no trace, no chain data): what a proof of this
    /// context is verified against. `statement` must build on exactly this AIR (the host checks).
    func air(proofType: String, context: [UInt8], call: PluginCallContext) throws(PluginFailure) -> AirBuilder
    /// The statement for a canonical context, given its dependencies' outputs.
    func statement(proofType: String, context: [UInt8], dependencies: [DependencyOutputs], call: PluginCallContext) throws(PluginFailure) -> Statement
}

extension ProverPlugin {
    /// The `describe()` JSON.
    var descriptionJSON: String {
        func quote(_ s: String) -> String {
            let data = try! JSONEncoder().encode(s)
            return String(decoding: data, as: UTF8.self)
        }
        let types = proofTypes.map { t in
            "{\"name\":\(quote(t.name)),\"description\":\(quote(t.description)),\"context_schema\":\(t.contextSchema),"
                + "\"public_inputs\":[\(t.publicInputs.map(quote).joined(separator: ","))]}"
        }
        return "{\"name\":\(quote(name)),\"version\":\(quote(version)),\"description\":\(quote(summary)),"
            + "\"proof_types\":[\(types.joined(separator: ","))]}"
    }
}
