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
    /// STARK parameters of the `stark` backend, for this type's proofs and for verifying its
    /// dependencies' proofs.
    public let parameters: StarkParameters
    /// Backend names that produce STARK proofs (a daemon may call its CPU pool "cpu");
    /// `native` is always the unproven one.
    public let starkBackends: Set<String>
    /// Threads the STARK prover uses inside one proof (nil: a share of `threadBudget`, or all
    /// cores without one).
    public let proverThreads: Int?
    /// Shares the cores among the proofs running at once (see `ThreadBudget`).
    public let threadBudget: ThreadBudget?

    public init(
        host: PluginHost, proofType: String, dependencyBackend: String = PluginBackend.native, parameters: StarkParameters = .default,
        starkBackends: Set<String> = [PluginBackend.stark], proverThreads: Int? = nil, threadBudget: ThreadBudget? = nil
    ) {
        self.host = host
        self.proofType = proofType
        self.dependencyBackend = dependencyBackend
        self.parameters = parameters
        self.starkBackends = starkBackends.subtracting([PluginBackend.native])
        self.proverThreads = proverThreads
        self.threadBudget = threadBudget
    }

    public var supportedBackends: Set<String>? { starkBackends.union([PluginBackend.native]) }

    /// What an artifact made on `backend` is: "native" (unproven) or "stark".
    func kind(of backend: String) -> String { backend == PluginBackend.native ? PluginBackend.native : PluginBackend.stark }

    public func canonicalize(_ context: [UInt8]) throws -> [UInt8] {
        try host.canonicalize(proofType: proofType, context: context)
    }

    public func dependencies(of context: [UInt8]) throws -> [ProofRequest] {
        try host.dependencies(proofType: proofType, context: context).map {
            ProofRequest(proofType: $0.proofType, context: $0.context, backend: dependencyBackend)
        }
    }

    public func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact {
        // The whole call counts as a running proof, not only its STARK step: the dependency
        // checks, the trace and the final verification use a core too, and a proof that took
        // every core while another one was in those steps would oversubscribe the machine.
        if let threadBudget, proverThreads == nil {
            return try threadBudget.withShare { _ in try prove(input, cancellation: cancellation, holdingShare: true) }
        }
        return try prove(input, cancellation: cancellation, holdingShare: false)
    }

    private func prove(_ input: ProofInput, cancellation: CancellationToken, holdingShare: Bool) throws -> ProofArtifact {
        guard supportedBackends!.contains(input.backend) else {
            throw PluginCallError(.unsupportedBackend, "\(proofType) runs on \(supportedBackends!.sorted()), not '\(input.backend)'")
        }
        let dependencies = try input.dependencies.map { output throws(PluginCallError) in
            // A proof never rests on weaker dependencies (a stark proof on unproven receipts).
            let backend = output.artifact.metadata["backend"] ?? "?"
            guard backend == kind(of: input.backend) else {
                throw PluginCallError(
                    .badDependency,
                    "\(proofType) on backend '\(input.backend)' cannot use dependency \(output.proofType) (\(output.taskID)) from backend '\(backend)'")
            }
            return try checkDependency(proofType: output.proofType, artifact: output.artifact, taskID: output.taskID.description)
        }
        // On the stark backend the prover checks the constraints first; the host checks only
        // the statement's form (AIR, shapes, canonical values, build_air agreement).
        let statement = try host.statement(
            proofType: proofType, context: input.context, dependencies: dependencies, cancellation: cancellation,
            checksConstraints: input.backend == PluginBackend.native)
        switch input.backend {
        case PluginBackend.native:
            return nativeArtifact(for: statement, context: input.context)
        default:
            return try proveStatement(statement, context: input.context, cancellation: cancellation, holdingShare: holdingShare)
        }
    }

    /// The STARK step: proves a checked statement on this (dedicated) thread, polling the
    /// cancellation token between phases, and verifies the proof before it is handed to the
    /// store.
    public func proveStatement(_ statement: PluginStatement, context: [UInt8], cancellation: CancellationToken = CancellationToken()) throws -> ProofArtifact {
        try proveStatement(statement, context: context, cancellation: cancellation, holdingShare: false)
    }

    /// `holdingShare`: the caller already counts as a running proof of `threadBudget`.
    private func proveStatement(
        _ statement: PluginStatement, context: [UInt8], cancellation: CancellationToken, holdingShare: Bool
    ) throws -> ProofArtifact {
        var options = StarkProver.Options(threads: proverThreads, isCancelled: { cancellation.isCancelled })
        options.binding = Self.binding(proofType: proofType, context: context)
        let proof: [UInt8]
        do {
            let prove = { (options: StarkProver.Options) throws(StarkError) -> [UInt8] in
                try StarkProver.prove(
                    program: statement.program, trace: statement.trace, publicInputs: statement.publicInputs,
                    parameters: self.parameters, options: options
                ).bytes
            }
            if let threadBudget, proverThreads == nil {
                var shared = options
                shared.threadCount = { threadBudget.currentShare }
                if holdingShare {
                    shared.threads = threadBudget.currentShare
                    proof = try prove(shared)
                } else {
                    proof = try threadBudget.withShare { (threads: Int) throws(StarkError) -> [UInt8] in
                        shared.threads = threads
                        return try prove(shared)
                    }
                }
            } else {
                proof = try prove(options)
            }
        } catch let error where error == StarkError.cancelled {
            throw PluginCallError(.transient, "\(proofType): cancelled while proving")
        } catch {
            throw PluginCallError(.constraintViolation, "\(proofType): the statement does not hold: \(error)")
        }
        do {
            try StarkVerifier.verify(
                proof: proof, program: statement.program, publicInputs: statement.publicInputs, parameters: parameters,
                binding: options.binding)
        } catch {
            throw PluginCallError(.permanent, "\(proofType): the new proof does not verify: \(error)")
        }
        return artifact(proof: proof, statement: statement, context: context, backend: PluginBackend.stark)
    }

    /// Checks a dependency's artifact before its outputs are used, and converts it.
    ///
    /// Native receipts are checked for form and consistency with the outputs (they prove
    /// nothing by design). STARK artifacts are verified against the AIR the dependency's plugin
    /// defines for its context (`build_air`, never the AIR a proof or artifact carries) and the
    /// artifact's public outputs, at this handler's parameters.
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
        case PluginBackend.stark?:
            try verifyStark(proofType: proofType, context: Array(context.utf8), proof: artifact.proof, publicOutputs: outputs, taskID: taskID)
        default:
            throw PluginCallError(.badDependency, "dependency \(proofType) (\(taskID)): unknown backend '\(artifact.metadata["backend"] ?? "?")'")
        }
        return StatementDependency(proofType: proofType, context: Array(context.utf8), publicOutputs: outputs)
    }

    /// What a plugin proof binds into its transcript besides the AIR and public inputs: the
    /// proof type and the canonical context (several contexts may share an AIR).
    public static func binding(proofType: String, context: [UInt8]) -> [UInt8] {
        Array("prover-plugin-statement v1".utf8) + [0] + Array(proofType.utf8) + [0] + context
    }

    /// Verifies a STARK proof of `proofType` for a canonical context and its public outputs.
    public func verifyStark(proofType: String, context: [UInt8], proof: [UInt8], publicOutputs: [Fr], taskID: String = "?") throws(PluginCallError) {
        guard let air = try host.air(proofType: proofType, context: context) else {
            throw PluginCallError(
                .badDependency, "dependency \(proofType) (\(taskID)): its plugin defines no AIR per context (build_air), so its proof cannot be verified")
        }
        do {
            try StarkVerifier.verify(
                proof: proof, program: air.program, publicInputs: publicOutputs, parameters: parameters,
                binding: Self.binding(proofType: proofType, context: context))
        } catch {
            throw PluginCallError(.badDependency, "dependency \(proofType) (\(taskID)): the proof does not verify: \(error)")
        }
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
    public func handlers(
        dependencyBackend: String = PluginBackend.native, parameters: StarkParameters = .default,
        starkBackends: Set<String> = [PluginBackend.stark]
    ) -> [any ProofHandler] {
        proofTypes.map {
            PluginProofHandler(host: self, proofType: $0, dependencyBackend: dependencyBackend, parameters: parameters, starkBackends: starkBackends)
        }
    }
}
