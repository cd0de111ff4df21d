import Foundation
import ProverCore
import ProverService

/// The backends a plugin proof type runs on (issue 6, item 7). The backend is part of a task's
/// identity, so a native receipt never stands in for a STARK proof.
public enum PluginBackend {
    /// Checks the statement (AIR constraints on the trace, public inputs) and returns a receipt
    /// marked unproven. Fast; for development.
    public static let native = "native"
    /// Produces a real STARK proof.
    public static let stark = "stark"
    public static let all: Set<String> = [native, stark]
}

/// Adapts one plugin proof type to a ProverService `ProofHandler`.
///
/// Artifacts: `publicOutputs` are the statement's public inputs (32-byte LE each, what dependents
/// receive); `metadata["context"]` is the canonical context (dependents hand it to their plugin);
/// `metadata["backend"]`, `metadata["air_blake3"]`.
public struct PluginProofHandler: ProofHandler {
    public let host: PluginHost
    public let proofType: String
    /// The backend dependency tasks are submitted on (ProverService's `dependencies(of:)` does
    /// not see the dependent's backend). `prove` refuses dependencies from another backend than
    /// the task's, so this must be the backend the dependents run on.
    public let dependencyBackend: String

    public init(host: PluginHost, proofType: String, dependencyBackend: String = PluginBackend.native) {
        self.host = host
        self.proofType = proofType
        self.dependencyBackend = dependencyBackend
    }

    public var supportedBackends: Set<String>? { PluginBackend.all }

    public func canonicalize(_ context: [UInt8]) throws -> [UInt8] {
        try host.canonicalize(proofType: proofType, context: context)
    }

    public func dependencies(of context: [UInt8]) throws -> [ProofRequest] {
        try host.dependencies(proofType: proofType, context: context).map {
            ProofRequest(proofType: $0.proofType, context: $0.context, backend: dependencyBackend)
        }
    }

    public func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact {
        guard PluginBackend.all.contains(input.backend) else {
            throw PluginCallError(.unsupportedBackend, "\(proofType) runs on \(PluginBackend.all.sorted()), not '\(input.backend)'")
        }
        let dependencies = try input.dependencies.map { output throws(PluginCallError) in
            // A proof never rests on weaker dependencies (a stark proof on unproven receipts).
            let backend = output.artifact.metadata["backend"] ?? "?"
            guard backend == input.backend else {
                throw PluginCallError(
                    .badDependency,
                    "\(proofType) on backend '\(input.backend)' cannot use dependency \(output.proofType) (\(output.taskID)) from backend '\(backend)'")
            }
            return try checkDependency(proofType: output.proofType, artifact: output.artifact, taskID: output.taskID.description)
        }
        let statement = try host.statement(
            proofType: proofType, context: input.context, dependencies: dependencies, cancellation: cancellation)
        switch input.backend {
        case PluginBackend.native:
            return nativeArtifact(for: statement, context: input.context)
        default:
            return try proveStatement(statement, context: input.context, cancellation: cancellation)
        }
    }

    /// The STARK step: turns a checked statement into a proof artifact.
    ///
    /// NOT WIRED YET (the lead wires it after merging the STARK engine): it should call
    /// `StarkProver.prove(program: statement.program, trace: statement.trace,
    /// publicInputs: statement.publicInputs, parameters:, options:)` on this (dedicated) thread,
    /// and return `artifact(proof: proof.bytes, statement:, context:, backend: "stark")`.
    func proveStatement(_ statement: PluginStatement, context: [UInt8], cancellation: CancellationToken) throws -> ProofArtifact {
        throw PluginCallError(.unsupportedBackend, "\(proofType): the stark backend is not wired to the prover yet")
    }

    /// Checks a dependency's artifact before its outputs are used, and converts it.
    ///
    /// Native receipts are checked for form and consistency with the outputs (they prove
    /// nothing by design). STARK artifacts must be verified here with
    /// `StarkVerifier.verify(proof: artifact.proof, program:, publicInputs:, parameters:)` against
    /// the dependency's own statement (rebuilt, or its AIR kept with the artifact) — NOT WIRED
    /// YET; until then they are refused.
    public func checkDependency(proofType: String, artifact: ProofArtifact, taskID: String = "?") throws(PluginCallError) -> StatementDependency {
        guard let context = artifact.metadata["context"] else {
            throw PluginCallError(.badDependency, "dependency \(proofType) (\(taskID)) has no context in its artifact")
        }
        let outputs = try StatementDependency.decodeOutputs(artifact.publicOutputs)
        switch artifact.metadata["backend"] {
        case PluginBackend.native?:
            let receipt = try? JSONDecoder().decode(NativeReceipt.self, from: Data(artifact.proof))
            guard let receipt, receipt.kind == "native-unproven", receipt.proof_type == proofType,
                receipt.public_inputs == outputs.map(\.hexString), receipt.air_blake3 == artifact.metadata["air_blake3"]
            else {
                throw PluginCallError(.badDependency, "dependency \(proofType) (\(taskID)): the native receipt does not match its outputs")
            }
        default:
            throw PluginCallError(.badDependency, "dependency \(proofType) (\(taskID)): cannot verify a '\(artifact.metadata["backend"] ?? "?")' artifact yet")
        }
        return StatementDependency(proofType: proofType, context: Array(context.utf8), publicOutputs: outputs)
    }

    struct NativeReceipt: Codable {
        var kind = "native-unproven"
        let proof_type: String
        let air_blake3: String
        let public_inputs: [String]
    }

    /// The `native` backend's artifact: an unproven receipt for a checked statement.
    public func nativeArtifact(for statement: PluginStatement, context: [UInt8]) -> ProofArtifact {
        let receipt = NativeReceipt(
            proof_type: proofType, air_blake3: Blake3.hash(statement.airEncoding).hex,
            public_inputs: statement.publicInputs.map(\.hexString))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(receipt)).map { Array($0) } ?? []
        return artifact(proof: bytes, statement: statement, context: context, backend: PluginBackend.native)
    }

    func artifact(proof: [UInt8], statement: PluginStatement, context: [UInt8], backend: String) -> ProofArtifact {
        ProofArtifact(
            proof: proof, publicOutputs: statement.publicOutputs,
            metadata: [
                "backend": backend, "context": String(decoding: context, as: UTF8.self),
                "air_blake3": Blake3.hash(statement.airEncoding).hex, "proven": backend == PluginBackend.native ? "false" : "true",
            ])
    }
}

extension PluginHost {
    /// One ProverService handler per loaded proof type. Dependencies are submitted on
    /// `dependencyBackend` (use the backend the requests will run on).
    public func handlers(dependencyBackend: String = PluginBackend.native) -> [any ProofHandler] {
        proofTypes.map { PluginProofHandler(host: self, proofType: $0, dependencyBackend: dependencyBackend) }
    }
}
