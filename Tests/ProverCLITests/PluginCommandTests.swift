import Foundation
import Testing

@Suite("prover plugin")
struct PluginCommandTests {
    var buildDirectory: String {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
            .deletingLastPathComponent().path
    }

    @Test func listFindsTheBundledPlugins() throws {
        let result = try runProver(["plugin", "list", "--dir", buildDirectory])
        #expect(result.status == 0, "\(result.stderr)")
        for type in ["evm-ee-stf", "cl-stf", "checkpoint", "example-fibonacci"] {
            #expect(result.stdout.contains("  \(type)"), "\(result.stdout)")
        }
        #expect(!result.stdout.contains("MallocInterposer"))
    }

    @Test func checkPrintsMetadata() throws {
        let result = try runProver(["plugin", "check", buildDirectory + "/libCheckpoint.so"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("name: checkpoint"))
        #expect(result.stdout.contains("abi: 1.0 (host 1.0)"))
        #expect(result.stdout.contains("proof type: checkpoint"))
    }

    @Test(arguments: ["/nonexistent/libnothing.so", "junk"])
    func checkRefusesWithAOneLineReason(path: String) throws {
        var target = path
        if path == "junk" {
            target = FileManager.default.temporaryDirectory.appendingPathComponent("junk-\(UUID().uuidString).so").path
            try Data("not a shared library".utf8).write(to: URL(fileURLWithPath: target))
        }
        let result = try runProver(["plugin", "check", target])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(target))
    }
}
