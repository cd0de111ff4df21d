import Foundation
import Testing

/// `prover prove` / `prover verify` with the plugins built beside the binary.
@Suite("prover prove and verify")
struct ProveCommandTests {
    @Test func provesTheCheckpointGraphAndVerifiesEveryBundle() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("prover-prove-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let prove = try runProver(["prove", "checkpoint", #"{"index": 2}"#, "--out", out, "--profile", "test-insecure"])
        #expect(prove.status == 0, "\(prove.stderr)")
        let bundles = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(bundles == ["1-evm-ee-stf.proof.json", "2-cl-stf.proof.json", "3-checkpoint.proof.json"])
        for bundle in bundles {
            let verify = try runProver(["verify", "\(out)/\(bundle)"])
            #expect(verify.status == 0, "\(bundle): \(verify.stderr)")
        }
        // Another context or another public output in the bundle: invalid.
        let path = "\(out)/3-checkpoint.proof.json"
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        object["context"] = #"{"index":1}"#
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        let other = try runProver(["verify", path])
        #expect(other.status != 0)
        #expect(other.stderr.contains("invalid"))
    }

    @Test(arguments: [
        (["prove", "no-such-type", "{}"], "unknown_proof_type"),
        (["prove", "checkpoint", "{not json"], "invalid_input"),
        (["prove", "checkpoint", #"{"index": 99}"#], "does not exist"),
        (["prove", "evm-ee-stf", #"{"start": 5, "end": 2}"#], "invalid_input"),
        (["verify", "/nonexistent/bundle.json"], "not a proof bundle"),
    ])
    func badInputExitsNonZeroWithATypedReason(arguments: [String], mention: String) throws {
        let result = try runProver(arguments + (arguments[0] == "prove" ? ["--out", NSTemporaryDirectory() + "prover-bad-\(UUID().uuidString)"] : []))
        #expect(result.status != 0)
        #expect(result.stderr.contains(mention), "\(result.stderr)")
    }
}
