import ProverBench

/// A plain-text table of benchmark records for terminals.
enum BenchmarkTable {
    static func render(_ records: [BenchmarkRecord]) -> String {
        // Machine facts go above the table as one line each.
        let facts = records.filter { $0.metric == "machine" }.map { r in
            "machine: \(Int(r.value)) \(r.unit), " + r.extra.map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
        }
        let header = ["suite", "case", "threads", "value", "unit", "metric"]
        let rows = records.filter { $0.metric != "machine" }.map { r -> [String] in
            [r.suite, r.name, r.threads.map(String.init) ?? "", format(r.value), r.unit, r.metric]
        }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: max(0, $1 - $0.count)) }.joined(separator: "  ")
        }
        return (facts + [line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }

    static func format(_ x: Double) -> String {
        if x >= 100 { return String(Int64(x.rounded())) }
        let scaled = (x * 100).rounded() / 100
        return String(scaled)
    }
}
