import Devnet
import Foundation
import PluginHost
import ProverCore
import ProverService
import Testing

/// The `stark` backend: plugin statements become real STARK proofs, dependencies' proofs are
/// verified against the AIR their plugin defines before their outputs are used.
@Suite struct StarkBackendTests {
    static let parameters = StarkParameters.testInsecure

    @Test func checkpointGraphIsProvenAndEveryProofVerifies() async throws {
        let (host, devnet) = try chainHost()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-stark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("tasks.sqlite").path)
        let service = ProverService(
            configuration: ServiceConfiguration(workers: ["stark": 2], ownerID: "test"),
            handlers: host.handlers(dependencyBackend: PluginBackend.stark, parameters: Self.parameters),
            taskStore: store, proofStore: store)
        try service.start()
        let stored = try await service.execute(ProofRequest(proofType: "checkpoint", context: json(#"{"index":1}"#), backend: "stark"))
        let tasks = try service.list().tasks
        await service.shutdown(gracePeriod: .seconds(5))

        #expect(Set(tasks.map(\.proofType)) == ["checkpoint", "cl-stf", "evm-ee-stf"])
        #expect(tasks.allSatisfy { $0.state == .completed })
        let artifact = stored.artifact
        #expect(artifact.metadata["backend"] == "stark" && artifact.metadata["proven"] == "true")
        #expect(Array(artifact.proof.prefix(4)) == Array("STK1".utf8))
        let outputs = try StatementDependency.decodeOutputs(artifact.publicOutputs)
        #expect(outputs.last == devnet.checkpoint(1)!.commitment)
        // An independent check of the stored proof against the AIR the plugin defines.
        let handler = PluginProofHandler(host: host, proofType: "checkpoint", parameters: Self.parameters)
        try handler.verifyStark(proofType: "checkpoint", context: Array(artifact.metadata["context"]!.utf8), proof: artifact.proof, publicOutputs: outputs)
        // Other public outputs (a different commitment) do not verify.
        var wrong = outputs
        wrong[wrong.count - 1] += .one
        #expect(throws: PluginCallError.badDependency) {
            try handler.verifyStark(proofType: "checkpoint", context: Array(artifact.metadata["context"]!.utf8), proof: artifact.proof, publicOutputs: wrong)
        }
    }

    @Test func tamperedStarkDependenciesAreRejected() throws {
        let (host, devnet) = try chainHost()
        let c = try #require(devnet.checkpoint(1))
        let context = try host.canonicalize(proofType: "evm-ee-stf", context: json(#"{"end":\#(c.execEnd),"start":\#(c.execStart)}"#))
        let statement = try host.statement(proofType: "evm-ee-stf", context: context, dependencies: [])
        var options = StarkProver.Options()
        options.binding = PluginProofHandler.binding(proofType: "evm-ee-stf", context: context)
        let proof = try StarkProver.prove(
            program: statement.program, trace: statement.trace, publicInputs: statement.publicInputs, parameters: Self.parameters,
            options: options)
        let handler = PluginProofHandler(host: host, proofType: "cl-stf", dependencyBackend: PluginBackend.stark, parameters: Self.parameters)
        let honest = ProofArtifact(
            proof: proof.bytes, publicOutputs: statement.publicOutputs,
            metadata: ["backend": "stark", "context": String(decoding: context, as: UTF8.self)])
        let checked = try handler.checkDependency(proofType: "evm-ee-stf", artifact: honest)
        #expect(checked.publicOutputs == statement.publicInputs)

        var flipped = honest
        flipped.proof[flipped.proof.count / 3] ^= 0x04
        var outputs = honest
        outputs.publicOutputs[40] ^= 1
        var otherContext = honest
        otherContext.metadata["context"] = #"{"end":\#(c.execEnd),"start":\#(c.execStart + 1)}"#
        for artifact in [flipped, outputs, otherContext] {
            #expect(throws: PluginCallError.badDependency) { try handler.checkDependency(proofType: "evm-ee-stf", artifact: artifact) }
        }
        // Proven at other parameters: refused by a handler that expects the test profile.
        let strict = PluginProofHandler(host: host, proofType: "cl-stf", dependencyBackend: PluginBackend.stark, parameters: .default)
        #expect(throws: PluginCallError.badDependency) { try strict.checkDependency(proofType: "evm-ee-stf", artifact: honest) }
    }
}
