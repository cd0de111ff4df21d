import Foundation
import Testing

@Suite("prover stark")
struct StarkCommandTests {
    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("prover-stark-\(UInt32.random(in: 0...UInt32.max))-\(name)").path
    }

    @Test(arguments: ["fibonacci", "poseidon-chain"])
    func proveThenVerifySucceeds(air: String) throws {
        let file = Self.temporaryFile("proof")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let prove = try runProver(["stark", "prove", "--air", air, "--steps", "4", "--out", file, "--json", "--profile", "test-insecure"])
        #expect(prove.status == 0, "\(prove.stderr)")
        #expect(prove.stdout.contains("\"air\":\"\(air)\""))
        #expect(prove.stdout.contains("\"proof_bytes\":"))
        let verify = try runProver(["stark", "verify", "--air", air, "--steps", "4", "--profile", "test-insecure", file])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("valid:"))
    }

    @Test func verifyFailsWithTheReasonForAnotherStatementOrATamperedFile() throws {
        let file = Self.temporaryFile("proof")
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(try runProver(["stark", "prove", "--air", "poseidon-chain", "--steps", "2", "--out", file, "--profile", "test-insecure"]).status == 0)
        // Another step count is another AIR and other public inputs.
        let other = try runProver(["stark", "verify", "--air", "poseidon-chain", "--steps", "3", "--profile", "test-insecure", file])
        #expect(other.status != 0)
        #expect(other.stderr.contains("invalid proof"))
        // Wrong public inputs.
        let inputs = try runProver(["stark", "verify", "--air", "poseidon-chain", "--steps", "2", "--profile", "test-insecure", "--public-inputs", "0,1", file])
        #expect(inputs.status != 0)
        // The default profile expects other parameters.
        let profile = try runProver(["stark", "verify", "--air", "poseidon-chain", "--steps", "2", file])
        #expect(profile.stderr.contains("parameter_mismatch"))
        // One flipped byte.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[bytes.count / 2] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: file))
        let tampered = try runProver(["stark", "verify", "--air", "poseidon-chain", "--steps", "2", "--profile", "test-insecure", file])
        #expect(tampered.status != 0)
        #expect(tampered.stderr.contains("invalid proof"))
    }

    @Test(arguments: [
        ["stark", "prove", "--air", "rescue", "--steps", "4", "--out", "/tmp/x"],
        ["stark", "prove", "--air", "fibonacci", "--steps", "0", "--out", "/tmp/x"],
        ["stark", "prove", "--air", "fibonacci", "--steps", "8", "--out", "/tmp/x", "--profile", "fast"],
        ["stark", "verify", "--air", "fibonacci", "--steps", "8", "/nonexistent/proof"],
    ])
    func badArgumentsExitNonZeroWithAMessage(arguments: [String]) throws {
        let result = try runProver(arguments)
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty)
    }
}
