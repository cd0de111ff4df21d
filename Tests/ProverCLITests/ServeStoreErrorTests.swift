import Foundation
import ProverServicePostgres
import Testing

/// `prover serve --store` with a store it cannot use stops at once with a clear message and a
/// non-zero exit.
@Suite("prover serve --store errors")
struct ServeStoreErrorTests {
    static func serve(_ arguments: [String]) throws -> (Int32, String) {
        let binary = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .deletingLastPathComponent().appendingPathComponent("prover")
        let process = Process()
        let stderr = Pipe()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        process.currentDirectoryURL = FileManager.default.temporaryDirectory
        try process.run()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    @Test func unreachableDatabaseAndBadURLsExitNonZero() throws {
        let (status, text) = try Self.serve(["--store", "postgres://prover:x@127.0.0.1:1/prover"])
        #expect(status != 0)
        #expect(text.contains("unreachable") && text.contains("cannot reach PostgreSQL at 127.0.0.1:1"), "\(text)")
        let (status2, text2) = try Self.serve(["--store", "mysql://x@y/z"])
        #expect(status2 != 0)
        #expect(text2.contains("store must be a postgres:// URL"), "\(text2)")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["PROVER_TEST_POSTGRES_URL"]?.isEmpty == false,
                   "PROVER_TEST_POSTGRES_URL is not set: the wrong-credentials check is skipped"))
    func wrongCredentialsExitNonZero() throws {
        let url = try PostgresURL(ProcessInfo.processInfo.environment["PROVER_TEST_POSTGRES_URL"]!)
        let (status, text) = try Self.serve(["--store", "postgres://\(url.user):wrong-password@\(url.host):\(url.port)/\(url.database)"])
        #expect(status != 0)
        #expect(text.contains("authentication_failed") && text.contains("refused the credentials"), "\(text)")
        #expect(!text.contains("wrong-password"))
    }
}
