import Foundation
import ProverBench

/// A bench suite that starts services (orchestration, api, throughput), run by `prover bench
/// all` as a child process of this executable with `--json`: its threads, its peak RSS and its
/// temporary files stay out of the kernel suites' measurements.
struct ChildSuite {
    let arguments: [String]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `prover bench ARGUMENTS --json`; the JSON lines it printed.
    func lines() throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["bench"] + arguments + ["--json"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "prover bench \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { $0.hasPrefix("{") }
    }

    /// A JSON line as a record, for the table (fields beyond the fixed ones become extras).
    static func record(_ line: String) -> BenchmarkRecord? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let suite = object["suite"] as? String, let name = object["case"] as? String,
            let metric = object["metric"] as? String, let value = (object["value"] as? NSNumber)?.doubleValue,
            let unit = object["unit"] as? String
        else { return nil }
        let fixed: Set<String> = ["suite", "case", "metric", "value", "unit", "threads"]
        let extra = object.filter { !fixed.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        return BenchmarkRecord(
            suite: suite, name: name, metric: metric, value: value, unit: unit, threads: object["threads"] as? Int, extra: extra)
    }
}
