import ArgumentParser
import Foundation
import ProverDaemon

/// `prover config check [--config F]`: the daemon's effective configuration from its file and
/// `PROVER_*` variables, validated, printed with secrets redacted (docs/daemon.md).
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the daemon's configuration (file, then PROVER_* variables, then flags).",
        subcommands: [Check.self]
    )

    /// Validates and prints; exit 1 with the offending key on error.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate the effective configuration and print it (secrets redacted); exit 1 naming the offending key."
        )

        @Option(help: "JSON configuration file (default $PROVER_CONFIG).")
        var config: String?

        @Flag(help: "Also print where each key that is not a default comes from.")
        var origins = false

        func run() throws {
            let environment = ProcessInfo.processInfo.environment
            let resolved: (DaemonConfiguration, DaemonConfiguration.Origins)
            do {
                resolved = try DaemonConfiguration.resolve(file: config ?? environment["PROVER_CONFIG"], environment: environment)
                try resolved.0.validate()
            } catch {
                throw ServeError(message: "invalid configuration: \(error.detail)")
            }
            for variable in DaemonConfiguration.unknownEnvironmentVariables(environment) {
                FileHandle.standardError.write(Data("warning: unknown environment variable \(variable) (ignored)\n".utf8))
            }
            print(resolved.0.redactedJSON)
            if origins {
                for (key, origin) in resolved.1.sorted(by: { $0.key < $1.key }) { print("\(key): \(origin)") }
            }
        }
    }
}
