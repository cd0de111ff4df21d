#if canImport(Glibc)
import Glibc
#endif

/// Peak resident memory of this process, from /proc/self/status (Linux).
public enum ResourceUsage {
    /// Resets the peak (VmHWM) to the current resident size, so the next reading covers only
    /// what runs in between (Linux ≥ 4.0: writing "5" to /proc/self/clear_refs).
    public static func resetPeak() {
        guard let file = fopen("/proc/self/clear_refs", "w") else { return }
        fputs("5", file)
        fclose(file)
    }

    /// VmHWM in MiB, or nil where /proc is unavailable.
    public static func peakResidentMiB() -> Double? {
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmHWM:") {
                let digits = text.filter(\.isNumber)
                return Double(digits).map { $0 / 1024 }
            }
        }
        return nil
    }
}
