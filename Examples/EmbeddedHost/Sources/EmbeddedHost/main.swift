// A minimal host daemon: load the proof-type plugins, run a ProverService over SQLite,
// submit a proof request, wait for it, and verify the proof it stored.
//
//     swift run EmbeddedHost PLUGIN_DIRECTORY DATA_DIRECTORY
import Devnet
import Foundation
import PluginHost
import ProverCore
import ProverService

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: EmbeddedHost PLUGIN_DIRECTORY DATA_DIRECTORY\n".utf8))
    exit(2)
}
let (pluginDirectory, dataDirectory) = (arguments[1], arguments[2])

do {
    // 1. Plugins fetch chain data through the host; here from the embedded devnet.
    let chain = Devnet(seed: 1)
    let host = PluginHost(chain: chain)
    let report = try host.loadDirectory(pluginDirectory)
    print("loaded \(report.loaded.count) plugins: \(host.proofTypes.sorted().joined(separator: ", "))")

    // 2. One handler per proof type, proving STARKs on the "cpu" pool (dependencies too).
    let parameters = StarkParameters.testInsecure  // use .default outside a demo
    let handlers = host.handlers(dependencyBackend: "cpu", parameters: parameters, starkBackends: ["cpu"])

    // 3. The service: durable state in SQLite, two worker threads.
    try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
    let store = try SQLiteStore(path: dataDirectory + "/tasks.sqlite")
    let service = ProverService(
        configuration: ServiceConfiguration(workers: ["cpu": 2]), handlers: handlers, taskStore: store, proofStore: store)
    try service.start()

    // 4. Submit: the state transition of the execution blocks of checkpoint 1.
    let checkpoint = chain.checkpoint(1)!
    let context = Array(#"{"start":\#(checkpoint.execStart),"end":\#(checkpoint.execEnd)}"#.utf8)
    let task = try await service.submit(ProofRequest(proofType: "evm-ee-stf", context: context, backend: "cpu"))
    print("submitted \(task.id) (\(task.state.rawValue))")

    // 5. Wait until it is final.
    let done = try await service.wait(for: task.id)
    guard done.state == .completed, let stored = try service.proof(done.id) else {
        print("task ended \(done.state.rawValue): \(done.lastError.map { "\($0)" } ?? "")")
        exit(1)
    }

    // 6. Verify the stored proof against the AIR the plugin defines for the context.
    let outputs = try StatementDependency.decodeOutputs(stored.artifact.publicOutputs)
    try PluginProofHandler(host: host, proofType: "evm-ee-stf", parameters: parameters)
        .verifyStark(proofType: "evm-ee-stf", context: done.context, proof: stored.artifact.proof, publicOutputs: outputs)
    print("verified \(done.id): \(stored.artifact.proof.count) proof bytes, \(outputs.count) public outputs")

    await service.shutdown(gracePeriod: .seconds(5))
} catch {
    FileHandle.standardError.write(Data("EmbeddedHost: \(error)\n".utf8))
    exit(1)
}
