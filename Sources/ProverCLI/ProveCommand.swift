import ArgumentParser
import Devnet
import Foundation
import PluginHost
import ProverCore
import ProverService

/// A proof with what is needed to check it on its own: `prover prove` writes these, `prover
/// verify` reads them (JSON; docs/plugins.md).
struct ProofBundle: Codable {
    var type: String
    /// The canonical context, as JSON text.
    var context: String
    var profile: String
    var devnet_seed: UInt64
    /// Public outputs (the statement's public inputs), 0x-hex.
    var public_outputs: [String]
    var proof: String  // base64
}

/// Options shared by `prove` and `verify`.
struct PluginRunOptions: ParsableArguments {
    @Option(help: "Seed of the embedded devnet chain.")
    var seed: UInt64 = 1

    @Option(help: "Checkpoints in the devnet.")
    var checkpoints: Int = 4

    @Option(name: .long, help: "Directory with the plugin libraries (default: next to the executable).")
    var dir: String?

    @Option(help: "STARK parameter profile: default or test-insecure.")
    var profile: String = "default"

    func validate() throws {
        guard StarkParameters.profiles[profile] != nil else { throw ValidationError("unknown profile \"\(profile)\"") }
        guard (1...1000).contains(checkpoints) else { throw ValidationError("--checkpoints must be in 1…1000") }
    }

    func host() throws -> PluginHost {
        let host = PluginHost(chain: Devnet(seed: seed, checkpoints: checkpoints))
        let directory = dir ?? PluginHost.executableDirectory
        do {
            _ = try host.loadDirectory(directory)
        } catch {
            throw PluginCommandError(message: error.description)
        }
        guard !host.proofTypes.isEmpty else { throw PluginCommandError(message: "no plugins loaded from \(directory)") }
        return host
    }
}

/// `prover prove TYPE CONTEXT_JSON [--seed S] [--out DIR]`: resolves the whole dependency graph
/// locally, proves every statement (dependencies first) with the STARK prover, verifies each
/// proof, and writes one bundle per proof.
struct ProveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Prove a plugin proof type and its dependencies locally; write verified proof bundles."
    )

    @Argument(help: "Proof type (see prover plugin list).")
    var type: String

    @Argument(help: "Context as JSON, e.g. '{\"index\": 1}'.")
    var context: String

    @Option(help: "Directory for the proof bundles.")
    var out: String = "proofs"

    @OptionGroup var options: PluginRunOptions

    func run() throws {
        let host = try options.host()
        let parameters = StarkParameters.profiles[options.profile]!
        let graph: [PluginHost.ResolvedStatement]
        do {
            graph = try host.resolveStatements(proofType: type, context: Array(context.utf8))
        } catch {
            throw PluginCommandError(message: "\(type) \(context.prefix(200)): \(error)")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (i, node) in graph.enumerated() {
            let handler = PluginProofHandler(host: host, proofType: node.proofType, parameters: parameters)
            let start = Date()
            let artifact: ProofArtifact
            do {
                artifact = try handler.proveStatement(node.statement, context: node.context)
            } catch {
                throw PluginCommandError(message: "\(node.proofType): \(error)")
            }
            let bundle = ProofBundle(
                type: node.proofType, context: String(decoding: node.context, as: UTF8.self), profile: options.profile,
                devnet_seed: options.seed, public_outputs: node.statement.publicInputs.map(\.hexString),
                proof: Data(artifact.proof).base64EncodedString())
            let path = "\(out)/\(i + 1)-\(node.proofType).proof.json"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            try encoder.encode(bundle).write(to: URL(fileURLWithPath: path))
            print("\(node.proofType) \(bundle.context): \(artifact.proof.count) bytes, verified, \(String(format: "%.2f", Date().timeIntervalSince(start))) s → \(path)")
        }
    }
}

/// `prover verify FILE`: checks a proof bundle against the AIR its plugin defines for its
/// context; exit 0 only if it verifies.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a proof bundle written by prover prove; exit 0 only if it is valid."
    )

    @Argument(help: "The proof bundle (JSON).")
    var file: String

    @Option(name: .long, help: "Directory with the plugin libraries (default: next to the executable).")
    var dir: String?

    @Option(help: "Checkpoints in the devnet.")
    var checkpoints: Int = 4

    func run() throws {
        let bundle: ProofBundle
        do {
            bundle = try JSONDecoder().decode(ProofBundle.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw PluginCommandError(message: "\(file) is not a proof bundle: \(error)")
        }
        guard let parameters = StarkParameters.profiles[bundle.profile] else {
            throw PluginCommandError(message: "unknown profile \(bundle.profile)")
        }
        guard let proof = Data(base64Encoded: bundle.proof) else { throw PluginCommandError(message: "proof is not base64") }
        let outputs: [Fr]
        do {
            outputs = try bundle.public_outputs.map { try Fr(parsing: $0) }
        } catch {
            throw PluginCommandError(message: "public outputs: \(error)")
        }
        var options = PluginRunOptions()
        options.seed = bundle.devnet_seed
        options.checkpoints = checkpoints
        options.dir = dir
        let host = try options.host()
        do {
            try PluginProofHandler(host: host, proofType: bundle.type, parameters: parameters)
                .verifyStark(proofType: bundle.type, context: Array(bundle.context.utf8), proof: [UInt8](proof), publicOutputs: outputs)
        } catch {
            throw PluginCommandError(message: "invalid: \(error)")
        }
        print("valid: \(bundle.type) \(bundle.context) (\(parameters.conjecturedSecurityBits)-bit profile \(bundle.profile))")
    }
}
