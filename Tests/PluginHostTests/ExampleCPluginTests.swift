import Devnet
import Foundation
import PluginHost
import ProverCore
import Testing

@Suite struct ExampleCPluginTests {
    @Test func loadsAndBuildsAStatement() throws {
        let host = PluginHost(chain: Devnet(seed: 1, checkpoints: 1))
        let plugin = try host.load(path: pluginPath("ExampleC"))
        #expect(plugin.name == "example-c")
        #expect(plugin.abiVersion == ABIVersion.host)
        #expect(plugin.proofTypes.map(\.name) == ["example-fibonacci"])
        let context = try host.canonicalize(proofType: "example-fibonacci", context: Array(#"{ "length" : 16 }"#.utf8))
        #expect(String(decoding: context, as: UTF8.self) == #"{"length":16}"#)
        #expect(try host.dependencies(proofType: "example-fibonacci", context: context).isEmpty)
        let statement = try host.statement(proofType: "example-fibonacci", context: context, dependencies: [])
        #expect(statement.program.traceLength == 16)
        // F(17) with F(1) = F(2) = 1 is 1597.
        #expect(statement.publicInputs == [Fr(1), Fr(1), Fr(1597)])

        // The C plugin's statement proves on the stark backend and its proof verifies against
        // the AIR the plugin defines for the context.
        let handler = PluginProofHandler(host: host, proofType: "example-fibonacci", parameters: .testInsecure)
        let artifact = try handler.proveStatement(statement, context: context)
        #expect(artifact.metadata["backend"] == "stark")
        try handler.verifyStark(proofType: "example-fibonacci", context: context, proof: artifact.proof, publicOutputs: statement.publicInputs)
        #expect(throws: PluginCallError.self) {
            try handler.verifyStark(
                proofType: "example-fibonacci", context: context, proof: artifact.proof, publicOutputs: [Fr(1), Fr(1), Fr(1598)])
        }
    }

    @Test func rejectsBadContexts() throws {
        let host = PluginHost(chain: Devnet(seed: 1, checkpoints: 1))
        try host.load(path: pluginPath("ExampleC"))
        for bad in [#"{"length": 12}"#, #"{"len": 16}"#, "[]", #"{"length": 16} x"#] {
            #expect(throws: PluginCallError.invalidInput) {
                try host.canonicalize(proofType: "example-fibonacci", context: Array(bad.utf8))
            }
        }
        #expect(throws: PluginCallError.unknownProofType) {
            try host.canonicalize(proofType: "nope", context: Array("{}".utf8))
        }
    }
}

@Suite struct ExampleCWithoutSwiftPMTests {
    /// The example plugin needs no Swift: built with `cc -shared -fPIC` alone, it loads and works.
    @Test func plainCCBuildLoads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("example-c-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("libExampleC.so").path
        try compileCPlugin(packageRoot + "/Plugins/ExampleC/example_c_plugin.c", to: output)
        let host = PluginHost(chain: Devnet(seed: 1, checkpoints: 1))
        try host.load(path: output)
        let statement = try host.statement(proofType: "example-fibonacci", context: Array(#"{"length":8}"#.utf8), dependencies: [])
        #expect(statement.publicInputs == [Fr(1), Fr(1), Fr(34)])
    }
}
