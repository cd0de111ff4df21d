import ArgumentParser
import Foundation
import ProverCore

/// `prover stark prove|verify`: STARK proofs of the reference AIRs.
struct StarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stark",
        abstract: "Prove and verify STARKs of the reference AIRs (fibonacci, poseidon-chain).",
        subcommands: [Prove.self, Verify.self]
    )

    /// What both verbs need to name a statement.
    struct StatementOptions: ParsableArguments {
        @Option(help: "The AIR: fibonacci or poseidon-chain.")
        var air: String

        @Option(help: "Steps: Fibonacci rows (rounded up to a power of two, ≥ 8) or Poseidon-chain hashes.")
        var steps: Int

        @Option(help: "Parameter profile: default (102 bits) or test-insecure.")
        var profile: String = "default"

        func validate() throws {
            guard ["fibonacci", "poseidon-chain"].contains(air) else {
                throw ValidationError("unknown AIR \"\(air)\": use fibonacci or poseidon-chain")
            }
            let limit = air == "fibonacci" ? 1 << 24 : 1 << 17
            guard (1...limit).contains(steps) else { throw ValidationError("--steps must be in 1...\(limit)") }
            guard StarkParameters.profiles[profile] != nil else {
                throw ValidationError("unknown profile \"\(profile)\": use \(StarkParameters.profiles.keys.sorted().joined(separator: " or "))")
            }
        }

        var parameters: StarkParameters { StarkParameters.profiles[profile]! }

        /// The deterministic statement for (air, steps): Fibonacci from (1, 1); the Poseidon chain
        /// from seed 0 over messages 1, 2, …, steps.
        func statement() throws -> (program: AirProgram, trace: AirTrace, publicInputs: [Fr]) {
            if air == "fibonacci" {
                var rows = 8
                while rows < steps { rows *= 2 }
                let (trace, inputs) = FibonacciAir.trace(length: rows)
                return (try FibonacciAir.program(length: rows), trace, inputs)
            }
            let messages = (1...steps).map { Fr(UInt64($0)) }
            let (trace, inputs) = PoseidonChainAir.trace(seed: .zero, messages: messages)
            return (try PoseidonChainAir.program(messageCount: steps), trace, inputs)
        }

        /// The program and its public inputs without building the trace (cheap for the verifier).
        func publicStatement() throws -> (program: AirProgram, publicInputs: [Fr]) {
            if air == "fibonacci" {
                let (program, _, inputs) = try statement()
                return (program, inputs)
            }
            let inputs = PoseidonChainAir.publicInputs(seed: .zero, messages: (1...steps).map { Fr(UInt64($0)) })
            return (try PoseidonChainAir.program(messageCount: steps), inputs)
        }
    }

    struct Prove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prove a reference statement and write the proof to a file.")

        @OptionGroup var statement: StatementOptions

        @Option(help: "Where to write the proof.")
        var out: String

        @Option(help: "Worker threads (default: all cores).")
        var threads: Int?

        @Flag(help: "Print a JSON summary instead of text.")
        var json = false

        func run() throws {
            let (program, trace, inputs) = try statement.statement()
            let prover = try StarkProver(program: program, parameters: statement.parameters, options: .init(threads: threads))
            let (proof, report) = try prover.proveWithReport(trace: trace, publicInputs: inputs)
            let bytes = proof.bytes
            try Data(bytes).write(to: URL(fileURLWithPath: out))
            let ms = report.totalSeconds * 1000
            if json {
                let phases = report.phases.map { "\"\($0.name)\":\(String(format: "%.2f", $0.seconds * 1000))" }.joined(separator: ",")
                let inputsJSON = inputs.map { "\"\($0.hexString)\"" }.joined(separator: ",")
                print(
                    "{\"air\":\"\(statement.air)\",\"rows\":\(program.traceLength),\"width\":\(program.traceWidth),"
                        + "\"proof_bytes\":\(bytes.count),\"prove_ms\":\(String(format: "%.2f", ms)),"
                        + "\"security_bits\":\(statement.parameters.conjecturedSecurityBits),\"threads\":\(report.threads),"
                        + "\"estimated_peak_mb\":\(report.estimatedPeakBytes >> 20),\"public_inputs\":[\(inputsJSON)],"
                        + "\"phases_ms\":{\(phases)}}")
            } else {
                print("proved \(statement.air), \(program.traceLength) rows × \(program.traceWidth) columns in \(String(format: "%.1f", ms)) ms")
                print("proof: \(out) (\(bytes.count) bytes), \(statement.parameters)")
                print("public inputs: \(inputs.map(\.hexString).joined(separator: " "))")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Verify a proof file; exit 0 only if it is valid.")

        @OptionGroup var statement: StatementOptions

        @Option(help: "Public inputs, comma-separated decimal or 0x-hex (default: the reference statement's).")
        var publicInputs: String?

        @Argument(help: "The proof file.")
        var file: String

        func run() throws {
            var (program, inputs) = try statement.publicStatement()
            if let text = publicInputs {
                inputs = try text.split(separator: ",").map { try Fr(parsing: String($0)) }
            }
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw StarkCommandError(message: "cannot read \(file): \(error.localizedDescription)")
            }
            do {
                try StarkVerifier.verify(proof: [UInt8](data), program: program, publicInputs: inputs, parameters: statement.parameters)
            } catch {
                throw StarkCommandError(message: "invalid proof: \(error)")
            }
            print("valid: \(statement.air), \(program.traceLength) rows, \(statement.parameters.conjecturedSecurityBits) bits")
        }
    }
}

struct StarkCommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
