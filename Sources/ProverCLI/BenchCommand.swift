import ArgumentParser

/// Temporary `prover bench` group so `prover bench orchestration` can be run on this branch;
/// the lead replaces it with the real bench group when merging.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks.",
        subcommands: [BenchOrchestrationCommand.self]
    )
}
