import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `prover` executable, beside the test bundle.
func proverBinary() throws -> URL {
    URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        .deletingLastPathComponent().appendingPathComponent("prover")
}

/// Runs `prover` to completion with extra environment variables (the test's own environment
/// minus any `PROVER_*`, plus `environment`).
func runProver(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = try proverBinary()
    process.arguments = arguments
    process.environment = cleanEnvironment().merging(environment) { _, b in b }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes concurrently: a full stderr pipe must not block the child.
    let errData = LockedData()
    let done = DispatchSemaphore(value: 0)
    let errHandle = err.fileHandleForReading
    DispatchQueue.global().async {
        errData.set(errHandle.readDataToEndOfFile())
        done.signal()
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    done.wait()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: errData.get(), as: UTF8.self))
}

/// The test's environment without `PROVER_*` variables (so a developer's shell cannot change a test).
func cleanEnvironment() -> [String: String] {
    ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PROVER_") }
}

/// Data handed from a reader thread (written once, read after the semaphore).
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) {
        lock.lock()
        data = d
        lock.unlock()
    }
    func get() -> Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

/// A long-running `prover` process (`serve`, `devnet serve`) whose standard error goes to a
/// file, so it never blocks on a full pipe; `port` is read from its "listening on HOST:PORT" line.
final class ProverServer {
    let process = Process()
    let logPath: String
    private(set) var port = 0

    init(_ arguments: [String], directory: String, environment: [String: String] = [:], name: String = "server") throws {
        logPath = "\(directory)/\(name)-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = try proverBinary()
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.arguments = arguments
        process.environment = cleanEnvironment().merging(environment) { _, b in b }
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while port == 0, Date() < deadline, process.isRunning {
            // A whole line: the file may hold half of it.
            if let range = log.range(of: #"listening on [^ ]+:\d+[ \n]"#, options: .regularExpression) {
                port = Int(log[range].dropLast().split(separator: ":").last!) ?? 0
            } else {
                usleep(20_000)
            }
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Everything the process wrote to standard error so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM and wait.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGKILL and wait: no chance to clean up.
    func kill() {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// A test that fails before it stops its server must not leave the process running.
    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}

/// A fresh temporary directory.
func temporaryDirectory(_ prefix: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
