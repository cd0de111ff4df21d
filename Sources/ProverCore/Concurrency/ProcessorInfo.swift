#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Facts about the CPU the kernels run on.
public enum ProcessorInfo {
    /// Online cores (at least 1).
    public static let activeCores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}
