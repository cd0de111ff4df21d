import ProverBench

/// A plain-text table of benchmark records for terminals.
enum BenchmarkTable {
    static func render(_ records: [BenchmarkRecord]) -> String {
        let header = ["suite", "case", "threads", "value", "unit", "metric"]
        let rows = records.map { r -> [String] in
            let value = r.metric == "machine" ? (r.extra.map { "\($0.0)=\($0.1)" }.joined(separator: " ")) : format(r.value)
            return [r.suite, r.name, r.threads.map(String.init) ?? "", value, r.unit, r.metric]
        }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }

    static func format(_ x: Double) -> String {
        if x >= 100 { return String(Int64(x.rounded())) }
        let scaled = (x * 100).rounded() / 100
        return String(scaled)
    }
}
