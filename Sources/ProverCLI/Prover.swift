import ArgumentParser

@main
struct Prover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prover",
        abstract: "A prover-as-a-service system: STARK proving core, plugins, orchestration.",
        subcommands: [ServeCommand.self, ProveCommand.self, VerifyCommand.self, BenchCommand.self, HashCommand.self, StarkCommand.self, PluginCommand.self,
                      SubmitCommand.self, StatusCommand.self, WaitCommand.self, GetCommand.self, CancelCommand.self, ListTasksCommand.self, ConfigCommand.self, DevnetCommand.self]
    )
}
