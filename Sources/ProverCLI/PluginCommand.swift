import ArgumentParser
import Devnet
import Foundation
import PluginHost

/// `prover plugin list [--dir D]`, `prover plugin check PATH`.
struct PluginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugin",
        abstract: "List and check proof-type plugins (shared libraries over the C ABI, docs/plugin-abi.md).",
        subcommands: [ListCommand.self, CheckCommand.self]
    )

    /// `prover plugin list`: loads every plugin in a directory and prints what it serves.
    struct ListCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Load the plugins in a directory (default: next to the executable) and list their proof types."
        )

        @Option(name: .long, help: "Directory to scan for plugin libraries (*.so).")
        var dir: String?

        func run() throws {
            let directory = dir ?? PluginHost.executableDirectory
            let host = PluginHost(chain: Devnet(seed: 0, checkpoints: 1))
            let report: PluginHost.DirectoryReport
            do {
                report = try host.loadDirectory(directory)
            } catch {
                throw PluginCommandError(message: error.description)
            }
            if report.loaded.isEmpty && report.refused.isEmpty { print("no plugins in \(directory)") }
            for plugin in report.loaded {
                print("\(plugin.name) \(plugin.version) (ABI \(plugin.abiVersion)) \(plugin.path)")
                for type in plugin.proofTypes { print("  \(type.name)\(type.description.isEmpty ? "" : ": \(type.description)")") }
            }
            for error in report.refused { print("refused \(error.path): \(error)") }
        }
    }

    /// `prover plugin check PATH`: loads and validates one plugin, prints its metadata; exits
    /// non-zero with a one-line reason if the host refuses it.
    struct CheckCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Load and validate one plugin library; print its metadata, or why it is refused."
        )

        @Argument(help: "Path of the plugin shared library.")
        var path: String

        func run() throws {
            let host = PluginHost(chain: Devnet(seed: 0, checkpoints: 1))
            let plugin: LoadedPlugin
            do {
                plugin = try host.load(path: path)
            } catch {
                throw PluginCommandError(message: error.description)
            }
            print("ok: \(plugin.path)")
            print("name: \(plugin.name)")
            print("version: \(plugin.version)")
            print("abi: \(plugin.abiVersion) (host \(ABIVersion.host)), descriptor \(plugin.descriptorSize) bytes")
            if !plugin.summary.isEmpty { print("description: \(plugin.summary)") }
            for type in plugin.proofTypes {
                print("proof type: \(type.name)")
                if !type.description.isEmpty { print("  description: \(type.description)") }
                if let schema = type.contextSchema { print("  context schema: \(schema)") }
                if !type.publicInputs.isEmpty { print("  public inputs: \(type.publicInputs.joined(separator: ", "))") }
            }
        }
    }
}

struct PluginCommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
