import Devnet
import Foundation
import PluginHost
import ProverCore
import ProverService

/// The proof types of loaded plugins, as the daemon serves them: proven with the STARK
/// prover on the daemon's `cpu` pool (dependencies on the same pool), verified against the AIR
/// the plugin defines for the context before a proof is returned.
struct PluginDaemonProofType: DaemonProofType {
    let host: PluginHost
    let name: String
    let summary: String
    let parameters: StarkParameters
    let threadBudget: ThreadBudget?
    static let backend = "cpu"

    var handler: any ProofHandler {
        PluginProofHandler(
            host: host, proofType: name, dependencyBackend: Self.backend, parameters: parameters, starkBackends: [Self.backend],
            threadBudget: threadBudget)
    }

    func verify(canonicalContext: [UInt8], artifact: ProofArtifact) throws {
        guard artifact.metadata["backend"] == PluginBackend.stark else {
            throw ProofVerificationError("the artifact is not a STARK proof (backend \(artifact.metadata["backend"] ?? "?"))")
        }
        do {
            let outputs = try StatementDependency.decodeOutputs(artifact.publicOutputs)
            try PluginProofHandler(host: host, proofType: name, parameters: parameters)
                .verifyStark(proofType: name, context: canonicalContext, proof: artifact.proof, publicOutputs: outputs)
        } catch {
            throw ProofVerificationError("\(error)")
        }
    }
}

/// Loads the plugins of a directory over a chain source, for the daemon.
enum DaemonPlugins {
    /// Every plugin of `directory` that loads (refusals are logged with their reason); none when
    /// the directory does not exist.
    static func load(
        directory: String, chain: any ChainSource, parameters: StarkParameters, threadBudget: ThreadBudget?, log: (String) -> Void
    ) -> (host: PluginHost, types: [any DaemonProofType]) {
        let host = PluginHost(chain: chain) { record in
            FileHandle.standardError.write(Data("plugin \(record.plugin): \(record.message)\n".utf8))
        }
        guard FileManager.default.fileExists(atPath: directory) else {
            log("plugin directory \(directory) does not exist: no plugins loaded")
            return (host, [])
        }
        do {
            let report = try host.loadDirectory(directory)
            for refused in report.refused { log("plugin refused: \(refused)") }
        } catch {
            log("cannot scan plugin directory \(directory): \(error)")
        }
        var types: [any DaemonProofType] = []
        for plugin in host.plugins {
            for type in plugin.proofTypes {
                types.append(PluginDaemonProofType(
                    host: host, name: type.name, summary: "\(type.description) (plugin \(plugin.name) \(plugin.version))",
                    parameters: parameters, threadBudget: threadBudget))
            }
        }
        return (host, types)
    }
}
