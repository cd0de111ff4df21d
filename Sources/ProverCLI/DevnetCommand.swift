import ArgumentParser
import Devnet
import Foundation
import Logging
import ProverDaemon

/// `prover devnet serve`: the deterministic devnet chain as an external chain source over HTTP
/// JSON-RPC, for `prover serve --chain-rpc URL` (docs/daemon.md).
struct DevnetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devnet",
        abstract: "The deterministic devnet chain (DESIGN.md §5).",
        subcommands: [Serve.self]
    )

    /// Serves `chain_getInfo`, `chain_getExecBlock`, `chain_getL2Block`, `chain_getCheckpoint`
    /// and `chain_submitCheckpointProof` until SIGTERM/SIGINT. State (accepted checkpoint proofs)
    /// lives in memory: a restarted devnet starts again at proven checkpoint 0.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the devnet chain over HTTP JSON-RPC 2.0 (the chain_* methods) for prover serve --chain-rpc."
        )

        @Option(help: "Address to bind (there is no authentication: keep it on loopback unless the network is trusted).")
        var host = "127.0.0.1"

        @Option(help: "Port (0 picks a free one).")
        var port = 8545

        @Option(help: "Seed of the chain.")
        var seed: UInt64 = 1

        @Option(help: "Checkpoints in the chain (1…1000).")
        var checkpoints = 4

        func validate() throws {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0…65535") }
            guard (1...1000).contains(checkpoints) else { throw ValidationError("--checkpoints must be in 1…1000") }
        }

        func run() async throws {
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = .notice
                return handler
            }
            let devnet = Devnet(seed: seed, checkpoints: checkpoints)
            let host = self.host, seed = self.seed, checkpoints = self.checkpoints
            try await ChainRPCServer(source: devnet, host: host, port: port).run { port in
                FileHandle.standardError.write(Data(
                    "prover devnet: listening on \(host):\(port) (seed \(seed), \(checkpoints) checkpoints)\n".utf8))
            }
        }
    }
}
