import Devnet
import Foundation
import PluginHost
import ProverCore
import ProverService
import Testing

/// A host with the three chain plugins over a fresh devnet.
func chainHost(seed: UInt64 = 11, checkpoints: Int = 2) throws -> (PluginHost, Devnet) {
    let devnet = Devnet(seed: seed, checkpoints: checkpoints)
    let host = PluginHost(chain: devnet)
    for product in ["EvmEe", "ClStf", "Checkpoint"] { try host.load(path: pluginPath(product)) }
    return (host, devnet)
}

func json(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite struct ChainPluginsTests {
    @Test func checkpointGraphResolvesWithHonestStatements() throws {
        let (host, devnet) = try chainHost()
        let c = try #require(devnet.checkpoint(1))
        let graph = try host.resolveStatements(proofType: "checkpoint", context: json(#"{"index":1}"#))
        #expect(graph.map(\.proofType) == ["evm-ee-stf", "cl-stf", "checkpoint"])
        #expect(graph[1].dependencies == [0] && graph[2].dependencies == [1])
        #expect(String(decoding: graph[0].context, as: UTF8.self) == #"{"end":\#(c.execEnd),"start":\#(c.execStart)}"#)
        let checkpoint = graph[2].statement.publicInputs
        #expect(checkpoint == [
            Fr(1), Fr(UInt64(c.l2Start)), Fr(UInt64(c.l2End)), c.prevCommitment, c.l2EndHash, c.execAccumulator, c.commitment,
        ])
        // Each statement is built on the AIR its plugin defines for the context alone.
        for node in graph {
            let defined = try #require(try host.air(proofType: node.proofType, context: node.context))
            #expect(defined.encoding == node.statement.airEncoding)
        }
        // ClStf's accumulator is its EvmEe dependency's.
        #expect(graph[1].statement.publicInputs[4] == graph[0].statement.publicInputs[6])
    }

    @Test func alteredBlockAfterDependencyFailsPermanently() throws {
        let (host, devnet) = try chainHost()
        let c = try #require(devnet.checkpoint(1))
        let evm = try host.statement(
            proofType: "evm-ee-stf", context: json(#"{"end":\#(c.execEnd),"start":\#(c.execStart)}"#), dependencies: [])
        devnet.alterExecBlock(c.execStart, txRoot: Fr(12345))
        let clContext = json(#"{"end":\#(c.l2End),"start":\#(c.l2Start)}"#)
        let error = #expect(throws: PluginCallError.permanent) {
            try host.statement(
                proofType: "cl-stf", context: clContext,
                dependencies: [StatementDependency(proofType: "evm-ee-stf", context: [], publicOutputs: evm.publicInputs)])
        }
        #expect(error?.failureClass == .permanent)
        #expect(error?.detail.contains("accumulator") == true)
    }

    @Test func tamperedDependencyOutputsAreRefused() throws {
        let (host, devnet) = try chainHost()
        let c = try #require(devnet.checkpoint(1))
        let graph = try host.resolveStatements(proofType: "cl-stf", context: json(#"{"end":\#(c.l2End),"start":\#(c.l2Start)}"#))
        var outputs = graph[1].statement.publicInputs
        outputs[3] = outputs[3] + Fr.one  // the end L2 hash
        #expect(throws: PluginCallError.permanent) {
            try host.statement(
                proofType: "checkpoint", context: json(#"{"index":1}"#),
                dependencies: [StatementDependency(proofType: "cl-stf", context: graph[1].context, publicOutputs: outputs)])
        }
        // A dependency over the wrong range.
        var wrongRange = graph[0].statement.publicInputs
        wrongRange[1] = wrongRange[1] + Fr.one
        #expect(throws: PluginCallError.permanent) {
            try host.statement(
                proofType: "cl-stf", context: graph[1].context,
                dependencies: [StatementDependency(proofType: "evm-ee-stf", context: graph[0].context, publicOutputs: wrongRange)])
        }
    }

    @Test func theAirsBindTheirTraces() throws {
        let (host, _) = try chainHost()
        let graph = try host.resolveStatements(proofType: "checkpoint", context: json(#"{"index":1}"#))
        for node in graph {
            let s = node.statement
            let evaluator = AirEvaluator(s.program)
            try evaluator.checkTrace(s.trace, publicInputs: s.publicInputs)
            // Change one cell in the middle of a permutation, one register, one bound public input.
            for (row, column) in [(5, 1), (130, s.program.traceWidth - 1)] where row < s.program.traceLength {
                var trace = s.trace
                trace[row, column] = trace[row, column] + Fr.one
                #expect(throws: (any Error).self, "\(node.proofType) row \(row) column \(column)") {
                    try evaluator.checkTrace(trace, publicInputs: s.publicInputs)
                }
            }
            // Public input 3 is bound by a boundary in all three (start state root, end L2 hash,
            // previous commitment). (Range numbers such as exec_start are statement metadata:
            // the AIR's shape already fixes the range.)
            var inputs = s.publicInputs
            inputs[3] = inputs[3] + Fr.one
            #expect(throws: (any Error).self) { try evaluator.checkTrace(s.trace, publicInputs: inputs) }
        }
    }

    @Test func rangesThatDoNotExistAreInvalidInput() throws {
        let (host, devnet) = try chainHost()
        #expect(throws: PluginCallError.invalidInput) {
            try host.dependencies(proofType: "checkpoint", context: json(#"{"index":99}"#))
        }
        #expect(throws: PluginCallError.invalidInput) {
            try host.statement(proofType: "evm-ee-stf", context: json(#"{"end":\#(devnet.execHeight + 1),"start":1}"#), dependencies: [])
        }
        #expect(throws: PluginCallError.invalidInput) {
            try host.canonicalize(proofType: "evm-ee-stf", context: json(#"{"end":1,"start":2}"#))
        }
        #expect(throws: PluginCallError.invalidInput) {
            try host.canonicalize(proofType: "cl-stf", context: json(#"{"end":1,"start":1,"extra":0}"#))
        }
        #expect(throws: PluginCallError.invalidInput) { try host.canonicalize(proofType: "checkpoint", context: json("not json")) }
    }

    @Test func checkpointThroughProverServiceOnTheNativeBackend() async throws {
        let (host, devnet) = try chainHost()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("tasks.sqlite").path)
        let service = ProverService(
            configuration: ServiceConfiguration(workers: ["native": 2], ownerID: "test"), handlers: host.handlers(),
            taskStore: store, proofStore: store)
        try service.start()
        let stored = try await service.execute(ProofRequest(proofType: "checkpoint", context: json(#"{ "index": 1 }"#), backend: "native"))
        await service.shutdown(gracePeriod: .seconds(5))
        let artifact = stored.artifact
        #expect(artifact.metadata["backend"] == "native" && artifact.metadata["proven"] == "false")
        let outputs = try StatementDependency.decodeOutputs(artifact.publicOutputs)
        #expect(outputs.last == devnet.checkpoint(1)!.commitment)
    }
}

@Suite struct ServiceIntegrationTests {
    /// A block altered after its EvmEeStf was proven: the service reuses the completed
    /// dependency, and the ClStf built on it (and the checkpoint above) fail permanently.
    @Test func alteredBlockFailsTheDependentsPermanently() async throws {
        let (host, devnet) = try chainHost()
        let c = try #require(devnet.checkpoint(1))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plugin-host-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("tasks.sqlite").path)
        let service = ProverService(
            configuration: ServiceConfiguration(workers: ["native": 1], ownerID: "test"), handlers: host.handlers(),
            taskStore: store, proofStore: store)
        try service.start()
        _ = try await service.execute(ProofRequest(
            proofType: "evm-ee-stf", context: json(#"{"start":\#(c.execStart),"end":\#(c.execEnd)}"#), backend: "native"))
        devnet.alterExecBlock(c.execEnd, txRoot: Fr(99))
        let record = try await service.submit(ProofRequest(proofType: "checkpoint", context: json(#"{"index":1}"#), backend: "native"))
        let final = try await service.wait(for: record.id)
        await service.shutdown(gracePeriod: .seconds(5))
        #expect(final.state == .failed)
        let tasks = try service.list().tasks
        let clStf = try #require(tasks.first { $0.proofType == "cl-stf" })
        #expect(clStf.state == .failed && clStf.attempt <= 1, "\(clStf)")
        #expect(clStf.lastError?.isTransient == false)
        #expect(clStf.lastError?.message.contains("accumulator") == true, "\(String(describing: clStf.lastError))")
    }
}

@Suite struct DependencyArtifactTests {
    @Test func tamperedDependencyArtifactsAreRejected() throws {
        let (host, devnet) = try chainHost()
        let c = try #require(devnet.checkpoint(1))
        let context = try host.canonicalize(proofType: "evm-ee-stf", context: json(#"{"end":\#(c.execEnd),"start":\#(c.execStart)}"#))
        let statement = try host.statement(proofType: "evm-ee-stf", context: context, dependencies: [])
        let handler = PluginProofHandler(host: host, proofType: "evm-ee-stf")
        let honest = handler.nativeArtifact(for: statement, context: context)
        let checked = try handler.checkDependency(proofType: "evm-ee-stf", artifact: honest)
        #expect(checked.publicOutputs == statement.publicInputs && checked.context == context)

        var outputs = honest
        outputs.publicOutputs[200] ^= 1  // an output changed after proving
        var receipt = honest
        receipt.proof[receipt.proof.count / 2] ^= 0x20  // the receipt itself changed
        var backend = honest
        backend.metadata["backend"] = "stark"  // a receipt passed off as a STARK proof: fails verification
        var noContext = honest
        noContext.metadata["context"] = nil
        for artifact in [outputs, receipt, backend, noContext] {
            let error = #expect(throws: PluginCallError.badDependency) {
                try handler.checkDependency(proofType: "evm-ee-stf", artifact: artifact)
            }
            #expect(error?.failureClass == .permanent)
        }
        #expect(throws: PluginCallError.badDependency) { try handler.checkDependency(proofType: "cl-stf", artifact: honest) }
    }
}
