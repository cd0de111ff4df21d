import ArgumentParser
import ProverBench

/// `prover bench stark`: Poseidon-chain proofs against the multiplication floor.
struct BenchStarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stark",
        abstract: "Prove and verify Poseidon-chain STARKs (2^10…2^16 rows) at the default profile."
    )

    @OptionGroup var output: BenchOutputOptions

    func run() {
        let mul = FieldSuite.run(quick: true).first { $0.name == "fr.mul" }?.value
        output.emit(StarkSuite.run(quick: output.quick, mulNanoseconds: mul))
    }
}
