import ArgumentParser
import Foundation
import Logging
import ProverCore
import ProverDaemon

/// `prover serve`: the daemon on embedded defaults (127.0.0.1:4844, ./prover-data), or as a
/// configuration file and flags say (docs/daemon.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the prover daemon: HTTP API, workers, durable SQLite (or shared PostgreSQL) state."
    )

    @Option(help: "JSON configuration file (docs/daemon.md; default $PROVER_CONFIG); PROVER_* variables override it, flags override both.")
    var config: String?

    @Option(help: "Address to bind (default 127.0.0.1; beyond loopback, api_keys are required).")
    var host: String?

    @Option(help: "Port (default 4844; 0 picks a free one).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite store (default ./prover-data).")
    var dataDirectory: String?

    @Option(help: "postgres://user:password@host:port/database[?schema=…]: share tasks and proofs with other nodes (default: SQLite in --data-dir).")
    var store: String?

    @Option(help: "Worker threads for the cpu backend.")
    var workers: Int?

    @Option(name: .customLong("chain-rpc"), help: "Follow an external chain source over JSON-RPC (e.g. prover devnet serve) instead of the embedded devnet.")
    var chainRPC: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(help: "STARK profile of the built-in proof types: default or test-insecure.")
    var starkProfile: String?

    @Option(help: "Print the api_keys digest of a bearer token and exit.")
    var hashApiKey: String?

    @Flag(help: "Print the OpenAPI document and exit.")
    var printOpenapi = false

    func run() async throws {
        if printOpenapi {
            print(OpenAPIDocument.yaml)
            return
        }
        if let token = hashApiKey {
            print(APIKeyDigest.of(token))
            return
        }
        var configuration: DaemonConfiguration
        let environment = ProcessInfo.processInfo.environment
        do {
            (configuration, _) = try DaemonConfiguration.resolve(file: config ?? environment["PROVER_CONFIG"], environment: environment)
        } catch {
            throw ServeError(message: "\(error)")
        }
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let dataDirectory { configuration.dataDirectory = dataDirectory }
        if let store { configuration.storeURL = store }
        if let workers { configuration.workers["cpu"] = workers }
        if let chainRPC { configuration.chainRPC = chainRPC }
        if let logLevel { configuration.logLevel = logLevel }
        if let starkProfile { configuration.starkProfile = starkProfile }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: level) ?? .info
            return handler
        }
        for variable in DaemonConfiguration.unknownEnvironmentVariables(environment) {
            Logger(label: "prover.serve").warning("unknown environment variable \(variable) (ignored)")
        }
        let daemon: ProverDaemon
        do {
            daemon = try ProverDaemon(configuration: configuration)
        } catch {
            throw ServeError(message: "cannot start: \(error)")
        }
        let host = configuration.host
        try await daemon.run { port in
            FileHandle.standardError.write(Data("prover serve: listening on \(host):\(port)\n".utf8))
        }
    }
}

struct ServeError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
