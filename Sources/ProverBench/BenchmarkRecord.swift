/// One measured figure: a line of `prover bench --json` output.
public struct BenchmarkRecord: Sendable, Equatable {
    public var suite: String
    public var name: String
    public var metric: String
    public var value: Double
    public var unit: String
    /// Threads used, for cases measured at several thread counts.
    public var threads: Int?
    /// Extra string fields (machine facts, peer names), printed after the fixed ones.
    public var extra: [(String, String)]

    public init(suite: String, name: String, metric: String, value: Double, unit: String, threads: Int? = nil, extra: [(String, String)] = []) {
        self.suite = suite
        self.name = name
        self.metric = metric
        self.value = value
        self.unit = unit
        self.threads = threads
        self.extra = extra
    }

    public static func == (a: BenchmarkRecord, b: BenchmarkRecord) -> Bool {
        a.suite == b.suite && a.name == b.name && a.metric == b.metric && a.value == b.value && a.unit == b.unit
            && a.threads == b.threads && a.extra.elementsEqual(b.extra, by: { $0 == $1 })
    }

    /// One JSON object on one line, keys in a fixed order:
    /// `{"suite":"field","case":"fr.mul","metric":"ns_per_op","value":31.2,"unit":"ns"}`.
    public var jsonLine: String {
        var fields = [
            "\"suite\":\(Self.quote(suite))", "\"case\":\(Self.quote(name))", "\"metric\":\(Self.quote(metric))",
            "\"value\":\(Self.number(value))", "\"unit\":\(Self.quote(unit))",
        ]
        if let threads { fields.append("\"threads\":\(threads)") }
        for (key, text) in extra { fields.append("\(Self.quote(key)):\(Self.quote(text))") }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        // Four significant decimals are plenty for timings and keep lines short.
        let rounded = (x * 10_000).rounded() / 10_000
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
