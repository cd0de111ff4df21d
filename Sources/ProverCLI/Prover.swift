import ArgumentParser

@main
struct Prover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prover",
        abstract: "A prover-as-a-service system: STARK proving core, plugins, orchestration.",
        subcommands: [HashCommand.self, BenchGroup.self]
    )
}

/// Temporary `bench` group so `prover bench hash` runs on this branch; the lead
/// replaces it with the real `BenchCommand` group when merging.
struct BenchGroup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks.",
        subcommands: [BenchHashCommand.self]
    )
}
