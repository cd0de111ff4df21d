import ArgumentParser
import Devnet
import Foundation
import PluginHost
import ProverBench
import ProverCore

/// `prover bench plugin`: the cost of the plugin boundary. Proves the same statement (an
/// EvmEeStf range of the devnet) twice per round, alternating: through the plugin (statement
/// built by the plugin over the C ABI and checked by the host, then proven and verified by the
/// handler) and directly in ProverCore (prove + verify of the same AIR, trace and inputs).
struct BenchPluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "Proving through a plugin against proving the same AIR and trace directly."
    )

    @OptionGroup var output: BenchOutputOptions

    @Option(name: .long, help: "Directory with the plugin libraries (default: next to the executable).")
    var dir: String?

    func run() throws {
        let devnet = Devnet(seed: 1, checkpoints: 32)
        let host = PluginHost(chain: devnet)
        _ = try? host.loadDirectory(dir ?? PluginHost.executableDirectory)
        guard host.proofTypes.contains("evm-ee-stf") else {
            throw PluginCommandError(message: "the evm-ee plugin is not next to the executable (swift build -c release)")
        }
        let type = "evm-ee-stf"
        let context = try host.canonicalize(proofType: type, context: Array("{\"start\":1,\"end\":\(min(devnet.execHeight, 60))}".utf8))
        let handler = PluginProofHandler(host: host, proofType: type, parameters: .default)
        let reference = try host.statement(proofType: type, context: context, dependencies: [])
        var plugin: [Double] = [], direct: [Double] = []
        for _ in 0..<(output.quick ? 2 : 5) {
            plugin.append(Measurement.medianNanoseconds(repetitions: 1) {
                let statement = try! host.statement(proofType: type, context: context, dependencies: [], checksConstraints: false)
                blackHole(try! handler.proveStatement(statement, context: context))
            })
            direct.append(Measurement.medianNanoseconds(repetitions: 1) {
                let proof = try! StarkProver.prove(program: reference.program, trace: reference.trace, publicInputs: reference.publicInputs)
                try! StarkVerifier.verify(proof: proof.bytes, program: reference.program, publicInputs: reference.publicInputs)
            })
        }
        let (p, d) = (plugin.min()!, direct.min()!)
        let rows = reference.program.traceLength
        let extra = [("rows", "\(rows)"), ("width", "\(reference.program.traceWidth)")]
        output.emit([
            BenchmarkRecord(suite: "plugin", name: "evm-ee-stf.plugin", metric: "prove_ms", value: p / 1e6, unit: "ms", extra: extra),
            BenchmarkRecord(suite: "plugin", name: "evm-ee-stf.direct", metric: "prove_ms", value: d / 1e6, unit: "ms", extra: extra),
            BenchmarkRecord(suite: "plugin", name: "evm-ee-stf", metric: "plugin_over_direct", value: p / d, unit: "x"),
        ])
    }
}
