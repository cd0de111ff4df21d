import CFieldKernels
import Synchronization

/// The implementation behind `Fr`'s arithmetic and the vector and NTT kernels.
///
/// The fastest supported backend is chosen when the library loads; tests and benchmarks may
/// switch to compare them. Switching is process-wide: do it only while no other thread computes.
public enum FieldBackend: String, CaseIterable, Sendable {
    /// Plain C with 128-bit products; runs on any CPU.
    case portable
    /// The same C compiled for BMI2 and ADX (`mulx`); x86-64 only.
    case bmi2Adx = "bmi2_adx"

    private var raw: prover_fr_backend {
        switch self {
        case .portable: PROVER_FR_BACKEND_PORTABLE
        case .bmi2Adx: PROVER_FR_BACKEND_BMI2_ADX
        }
    }

    /// Whether this CPU can run the backend.
    public var isSupported: Bool { prover_fr_backend_supported(raw) != 0 }

    /// The backend in use.
    public static var current: FieldBackend {
        prover_fr_backend_current() == PROVER_FR_BACKEND_BMI2_ADX ? .bmi2Adx : .portable
    }

    private static let switchLock = Mutex(())

    /// Runs `body` with `backend` selected, then restores the previous one. Calls are
    /// serialized so concurrent tests cannot interleave their switches.
    public static func withBackend<R>(_ backend: FieldBackend, _ body: () throws -> R) rethrows -> R {
        try switchLock.withLock { _ in
            let previous = current
            precondition(backend.isSupported, "backend \(backend) is not supported on this CPU")
            prover_fr_backend_set(backend.raw)
            defer { prover_fr_backend_set(previous.raw) }
            return try body()
        }
    }
}
