import ProverCore

#if canImport(Glibc)
import Glibc
#endif

/// What the figures were measured on: CPU model, flags the kernels use, cores, toolchain.
public enum MachineFacts {
    public static func record() -> BenchmarkRecord {
        BenchmarkRecord(
            suite: "machine", name: "facts", metric: "machine", value: Double(ProcessorInfo.activeCores), unit: "cores",
            extra: [
                ("cpu", cpuModel()),
                ("field_backend", FieldBackend.current.rawValue),
                ("cpu_flags", cpuFlags()),
                ("swift", compilerVersion),
            ])
    }

    static var compilerVersion: String {
        #if compiler(>=6.3)
        return "6.3+"
        #else
        return "<6.3"
        #endif
    }

    static func cpuInfoLines() -> [Substring] {
        guard let file = fopen("/proc/cpuinfo", "r") else { return [] }
        defer { fclose(file) }
        var text = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            text += buffer[0..<n]
            if text.count > 1 << 20 { break }
        }
        return String(decoding: text, as: UTF8.self).split(separator: "\n")
    }

    static func field(_ key: String) -> String? {
        for line in cpuInfoLines() where line.hasPrefix(key) {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingPrefix(" ").description
            }
        }
        return nil
    }

    static func cpuModel() -> String { field("model name") ?? "unknown" }

    /// The flags that matter to the kernels, as this CPU reports them.
    static func cpuFlags() -> String {
        let wanted: Set<Substring> = ["bmi2", "adx", "avx2", "avx512f", "avx512vl", "avx512ifma", "sha_ni"]
        let flags = (field("flags") ?? "").split(separator: " ").filter { wanted.contains($0) }
        return flags.joined(separator: ",")
    }
}
