import Foundation
import Testing

/// docs/embedding.md's example (`Examples/EmbeddedHost`), a package of its own that depends on
/// this one's library products, is built and run: it loads the plugins, submits, waits and
/// verifies.
@Suite("Embedding example")
struct EmbeddingExampleTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Runs a process to its end; stdout and stderr together.
    func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func theExampleHostBuildsAgainstTheLibraryProductsAndProvesAndVerifies() throws {
        let example = Self.packageRoot + "/Examples/EmbeddedHost"
        let scratch = Self.packageRoot + "/.build/embedding-example"
        let build = try run("/usr/bin/env", ["swift", "build", "--package-path", example, "--scratch-path", scratch])
        try #require(build.status == 0, "\(build.output.suffix(3000))")

        let data = try temporaryDirectory("embedded-host")
        defer { try? FileManager.default.removeItem(atPath: data) }
        // The plugins are the ones this package built beside the `prover` executable.
        let plugins = try proverBinary().deletingLastPathComponent().path
        let result = try run(scratch + "/debug/EmbeddedHost", [plugins, data])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("evm-ee-stf"))
        #expect(result.output.range(of: #"verified [0-9a-f]{32}: \d+ proof bytes"#, options: .regularExpression) != nil, "\(result.output)")

        // The host refuses a wrong invocation with a usage line and exit 2.
        let usage = try run(scratch + "/debug/EmbeddedHost", [])
        #expect(usage.status == 2 && usage.output.contains("usage"))
    }
}
