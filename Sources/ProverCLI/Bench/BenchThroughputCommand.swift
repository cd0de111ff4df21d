import ArgumentParser
import Devnet
import Foundation
import PluginHost
import ProverBench
import ProverCore

/// `prover bench throughput`: steady-state proofs per second and latency per proof type and
/// worker count through the real service path (docs/performance.md, "Throughput").
struct BenchThroughputCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throughput",
        abstract: "Proofs per second and p50/p99 latency per proof type and worker count, through plugins, store and pools."
    )

    @Option(help: "Comma-separated proof types.")
    var types: String = "evm-ee-stf,cl-stf,checkpoint"

    @Option(help: "Comma-separated worker counts (counts above the core count are allowed and marked).")
    var workers: String = "1,2"

    @Option(help: "Seconds of steady state per measurement.")
    var duration: Double = 10

    @Option(help: "Split modes: one-thread, all-cores, default (the service's shared budget), or all.")
    var mode: String = "all"

    @Option(help: "STARK profile: default or test-insecure.")
    var profile: String = "default"

    @Flag(help: "Workers commit each outcome before claiming (ServiceConfiguration.commitBehindAfter = nil), for comparison.")
    var noCommitBehind = false

    @Option(help: "Write an SVG plot of throughput against workers.")
    var plot: String?

    @Option(name: .long, help: "Directory with the plugin libraries (default: next to the executable).")
    var dir: String?

    @OptionGroup var output: BenchOutputOptions

    func validate() throws {
        guard duration > 0, duration <= 3600 else { throw ValidationError("--duration must be in (0, 3600]") }
        guard StarkParameters.profiles[profile] != nil else { throw ValidationError("unknown profile \(profile)") }
        guard ["one-thread", "all-cores", "default", "all"].contains(mode) else {
            throw ValidationError("--mode: one-thread, all-cores, default or all")
        }
        guard !workerCounts.isEmpty, workerCounts.allSatisfy({ (1...64).contains($0) }) else {
            throw ValidationError("--workers: comma-separated counts in 1…64")
        }
    }

    var workerCounts: [Int] { workers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() async throws {
        let devnet = Devnet(seed: 1, checkpoints: 512)
        let host = PluginHost(chain: devnet)
        _ = try? host.loadDirectory(dir ?? PluginHost.executableDirectory)
        let typeList = types.split(separator: ",").map(String.init)
        for type in typeList where !host.proofTypes.contains(type) {
            throw PluginCommandError(message: "proof type \(type) is not served by the plugins next to the executable")
        }
        let modes: [ThroughputRun.Mode] = mode == "all" ? ThroughputRun.Mode.allCases : [ThroughputRun.Mode(rawValue: mode)!]
        let cores = ProcessorInfo.activeCores
        var records: [BenchmarkRecord] = []
        var series: [ThroughputPlot.Series] = []
        for type in typeList {
            var rates: [ThroughputRun.Mode: [Int: Double]] = [:]
            for m in modes {
                var points: [(Int, Double)] = []
                var single: Double?
                for w in workerCounts {
                    ResourceUsage.resetPeak()
                    let run = ThroughputRun(
                        host: host, devnet: devnet, type: type, workers: w, mode: m, duration: duration,
                        parameters: StarkParameters.profiles[profile]!, commitBehind: !noCommitBehind)
                    let r = try await run.run()
                    if w == 1 { single = r.proofsPerSecond }
                    rates[m, default: [:]][w] = r.proofsPerSecond
                    points.append((w, r.proofsPerSecond))
                    var extra = [("mode", m.rawValue), ("completed", "\(r.completed)")]
                    if w > cores { extra.append(("oversubscribed", "true")) }
                    func record(_ metric: String, _ value: Double, _ unit: String) {
                        records.append(BenchmarkRecord(
                            suite: "throughput", name: type, metric: metric, value: value, unit: unit, threads: w, extra: extra))
                    }
                    record("proofs_per_s", r.proofsPerSecond, "1/s")
                    record("p50_ms", r.p50, "ms")
                    record("p99_ms", r.p99, "ms")
                    if let single, w > 1 { record("scaling_efficiency", r.proofsPerSecond / (Double(w) * single), "x") }
                    record("orchestration_share", r.orchestrationShare, "fraction")
                    record("worker_gap_p50_us", r.gapP50, "us")
                    record("worker_gap_p99_us", r.gapP99, "us")
                    record("cpu_utilization", r.cpuUtilization, "fraction")
                    if let peak = ResourceUsage.peakResidentMiB() { record("peak_rss_mb", peak, "MiB") }
                }
                series.append(ThroughputPlot.Series(name: "\(type) (\(m.rawValue))", points: points.map { (workers: $0.0, value: $0.1) }))
            }
            records += Self.defaultAgainstFixedSplits(type: type, rates: rates, cores: cores)
        }
        output.emit(records)
        if let plot {
            try ThroughputPlot.svg(series, cores: cores).write(toFile: plot, atomically: true, encoding: .utf8)
        }
    }

    /// The service's default against the better of the two fixed splits: per worker count, and
    /// for the machine as a whole (`machine`: the default with one worker per core against the
    /// best of every fixed split at any measured worker count).
    static func defaultAgainstFixedSplits(type: String, rates: [ThroughputRun.Mode: [Int: Double]], cores: Int) -> [BenchmarkRecord] {
        guard let shared = rates[.shared], let one = rates[.oneThread], let all = rates[.allCores] else { return [] }
        var records: [BenchmarkRecord] = []
        for (w, rate) in shared.sorted(by: { $0.key < $1.key }) {
            guard let a = one[w], let b = all[w], max(a, b) > 0 else { continue }
            records.append(BenchmarkRecord(
                suite: "throughput", name: type, metric: "default_vs_best_fixed", value: rate / max(a, b), unit: "x", threads: w,
                extra: [("mode", "default")]))
        }
        let best = (Array(one.values) + Array(all.values)).max() ?? 0
        if let mine = shared[cores], best > 0 {
            records.append(BenchmarkRecord(
                suite: "throughput", name: type, metric: "default_vs_best_fixed", value: mine / best, unit: "x", threads: cores,
                extra: [("mode", "default"), ("scope", "machine")]))
        }
        return records
    }
}
