import ArgumentParser
import ProverBench

/// `prover bench`: the benchmark suites. With no subcommand, runs every suite.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the proving kernels (JSON lines with --json).",
        subcommands: [BenchAllCommand.self, BenchFieldCommand.self, BenchNTTCommand.self, BenchHashCommand.self, BenchStarkCommand.self, BenchPluginCommand.self, BenchThroughputCommand.self, BenchOrchestrationCommand.self, BenchAPICommand.self],
        defaultSubcommand: BenchAllCommand.self
    )
}

/// Options every bench subcommand shares.
struct BenchOutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON object per line instead of a table.")
    var json = false

    @Flag(help: "Fewer iterations and sizes, for CI.")
    var quick = false

    func emit(_ records: [BenchmarkRecord]) {
        if json {
            for record in records { print(record.jsonLine) }
        } else {
            print(BenchmarkTable.render(records))
        }
    }
}

struct BenchFieldCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "field", abstract: "Fr arithmetic beside GMP.")
    @OptionGroup var output: BenchOutputOptions

    func run() {
        output.emit(FieldSuite.run(quick: output.quick))
    }
}

struct BenchNTTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ntt", abstract: "NTTs and NTT polynomial products.")
    @OptionGroup var output: BenchOutputOptions

    func run() {
        // The floor ratio needs this run's fr.mul, measured beside the transforms.
        let mul = FieldSuite.run(quick: true).first { $0.name == "fr.mul" }?.value
        output.emit(NTTSuite.run(quick: output.quick, mulNanoseconds: mul))
    }
}

struct BenchAllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Every suite (field, ntt, hash, stark, orchestration, api, throughput), with machine facts.")
    @OptionGroup var output: BenchOutputOptions

    /// The service suites, each run as a child process; `--quick` sizes for CI.
    var childSuites: [[String]] {
        output.quick
            ? [["orchestration", "--tasks", "2000", "--latency-tasks", "200"], ["api", "--quick"],
               ["throughput", "--duration", "2", "--profile", "test-insecure"]]
            : [["orchestration"], ["api"], ["throughput", "--duration", "8"]]
    }

    func run() throws {
        var records = [MachineFacts.record()]
        let field = FieldSuite.run(quick: output.quick)
        records += field
        records += NTTSuite.run(quick: output.quick, mulNanoseconds: field.first { $0.name == "fr.mul" }?.value)
        records += HashSuite.run(quick: output.quick)
        records += StarkSuite.run(quick: output.quick, mulNanoseconds: field.first { $0.name == "fr.mul" }?.value)
        // Lines of the child suites are passed through as they are (with --json) or tabulated.
        var childLines: [String] = []
        for arguments in childSuites { childLines += try ChildSuite(arguments: arguments).lines() }
        if output.json {
            output.emit(records)
            for line in childLines { print(line) }
        } else {
            output.emit(records + childLines.compactMap(ChildSuite.record))
        }
    }
}
