import Foundation
import Testing

/// Runs the `prover` executable that SwiftPM built beside this test binary.
func runProver(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let directory = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        .deletingLastPathComponent()
    let process = Process()
    process.executableURL = directory.appendingPathComponent("prover")
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
}

@Suite("prover hash")
struct HashCommandTests {
    @Test func poseidonPrintsCircomlibsKnownAnswer() throws {
        let result = try runProver(["hash", "poseidon", "1", "2"])
        #expect(result.status == 0)
        #expect(result.stdout == "0x115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a\n")
        let hex = try runProver(["hash", "poseidon", "0x1", "0x2", "3", "4"])
        #expect(hex.stdout == "0x299c867db6c1fdd79dcefa40e4510b9837e60ebb1ce0663dbaa525df65250465\n")
    }

    @Test func blake3PrintsLowercaseHex() throws {
        let result = try runProver(["hash", "blake3", "--text", "abc"])
        #expect(result.status == 0)
        #expect(result.stdout == "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85\n")
        let empty = try runProver(["hash", "blake3", "--hex", ""])
        #expect(empty.stdout == "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262\n")
    }

    @Test(arguments: [
        ["hash", "poseidon"],
        ["hash", "poseidon"] + (1...17).map(String.init),
        ["hash", "poseidon", "21888242871839275222246405745257275088548364400416034343698204186575808495617"],
        ["hash", "poseidon", "-1"],
        ["hash", "poseidon", "0xzz"],
        ["hash", "blake3", "--hex", "abc"],
        ["hash", "blake3", "--hex", "zz"],
        ["hash", "blake3", "--file", "/nonexistent/prover-test-file"],
        ["hash", "blake3"],
    ])
    func badInputExitsNonZeroWithAMessage(arguments: [String]) throws {
        let result = try runProver(arguments)
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty)
        #expect(result.stdout.isEmpty)
    }
}
