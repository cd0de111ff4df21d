// A child process for the restart-recovery test: it submits one slow task to a SQLite store,
// writes a marker file once the handler is proving, and waits to be killed with SIGKILL.
//
// Usage: ServiceCrashHelper <database path> <marker path>
import Foundation
import ProverService

struct SlowHandler: ProofHandler {
    let proofType = "slow"
    let marker: String

    func canonicalize(_ context: [UInt8]) throws -> [UInt8] { context }

    func prove(_ input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact {
        _ = FileManager.default.createFile(atPath: marker, contents: Data(input.taskID.hex.utf8))
        cancellation.sleep(seconds: 120)
        return ProofArtifact(proof: Array("from the killed process".utf8))
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: ServiceCrashHelper <database> <marker>\n".utf8))
    exit(2)
}
let store = try SQLiteStore(path: arguments[1])
let service = ProverService(
    configuration: ServiceConfiguration(workers: ["cpu": 1], ownerID: "crash-helper"),
    handlers: [SlowHandler(marker: arguments[2])], taskStore: store, proofStore: store)
try service.start()
try await service.submit(ProofRequest(proofType: "slow", context: Array("block-7".utf8)))
try await Task.sleep(for: .seconds(120))
