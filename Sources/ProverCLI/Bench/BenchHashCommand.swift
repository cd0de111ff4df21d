import ArgumentParser
import ProverBench
import ProverCore

/// `prover bench hash`: BLAKE3, Poseidon and Merkle commitments.
struct BenchHashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "BLAKE3 (1 MiB, batched 64-byte), Poseidon permutations, Merkle trees."
    )

    @OptionGroup var output: BenchOutputOptions

    @Option(help: "BLAKE3 kernel: auto, portable, sse41, avx2, avx512.")
    var backend: String = "auto"

    func run() throws {
        if backend != "auto" {
            guard let chosen = Blake3.Backend.allCases.first(where: { $0.description == backend }), Blake3.Backend.force(chosen) else {
                throw ValidationError("BLAKE3 backend \(backend) is unknown or unsupported on this CPU")
            }
        }
        output.emit(HashSuite.run(quick: output.quick))
    }
}
