import ArgumentParser
import Foundation
import ProverCore

/// `prover hash blake3 (--hex H | --file F | --text T) [--length N]`
struct HashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Hash data.",
        subcommands: [Blake3Command.self, PoseidonCommand.self]
    )

    /// `prover hash poseidon X1 X2 …`: prints circomlib's Poseidon of 1...16 field elements.
    struct PoseidonCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "poseidon",
            abstract: "Print the Poseidon hash (circomlib, BN254) of 1...16 field elements as 0x-hex."
        )

        @Argument(help: "Field elements in decimal or 0x-hex, each below the BN254 scalar modulus.")
        var inputs: [String] = []

        func run() throws {
            var elements: [Fr] = []
            for (i, text) in inputs.enumerated() {
                do {
                    elements.append(try Fr(parsing: text))
                } catch {
                    throw HashInputError(message: "input \(i + 1) (\"\(text.prefix(80))\"): \(error)")
                }
            }
            do {
                print(try Poseidon.hash(elements).hexString)
            } catch {
                throw HashInputError(message: "\(error)")
            }
        }
    }

    /// `prover hash blake3`: prints the lowercase hex BLAKE3 digest.
    struct Blake3Command: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "blake3",
            abstract: "Print the BLAKE3 hash (lowercase hex) of hex bytes, a file, or UTF-8 text."
        )

        @Option(name: .long, help: "Input as hex digits (even count, 0-9a-fA-F).")
        var hex: String?

        @Option(name: .long, help: "Input file path.")
        var file: String?

        @Option(name: .long, help: "Input as UTF-8 text.")
        var text: String?

        @Option(name: .long, help: "Output length in bytes (BLAKE3 XOF); default 32.")
        var length: Int = 32

        func validate() throws {
            let given = [hex != nil, file != nil, text != nil].filter { $0 }.count
            guard given == 1 else { throw ValidationError("give exactly one of --hex, --file, --text") }
            guard length >= 0 else { throw ValidationError("--length must be >= 0") }
        }

        func run() throws {
            var hasher = Blake3.Hasher()
            if let hex {
                do {
                    hasher.update(try Hex.decode(hex))
                } catch {
                    throw HashInputError(message: "invalid --hex input: \(error)")
                }
            } else if let text {
                hasher.update(text.utf8)
            } else if let file {
                guard let handle = FileHandle(forReadingAtPath: file) else {
                    throw HashInputError(message: "cannot open file: \(file)")
                }
                defer { try? handle.close() }
                while true {
                    let data = try handle.read(upToCount: 1 << 20) ?? Data()
                    if data.isEmpty { break }
                    hasher.update(data)
                }
            }
            print(Hex.encode(hasher.finalize(outputLength: length)))
        }
    }
}

/// A bad input found while running (printed as "Error: …", exit code 1).
struct HashInputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
