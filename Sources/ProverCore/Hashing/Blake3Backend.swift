import CBlake3

extension Blake3 {
    /// A compression kernel family. Wider backends use narrower ones for the
    /// remainder of a batch. The environment variable `PROVER_BLAKE3_BACKEND`
    /// (`portable`, `sse41`, `avx2`, `avx512`) or ``force(_:)`` overrides the
    /// automatic choice process-wide.
    public enum Backend: Int, Sendable, CaseIterable, CustomStringConvertible {
        /// Scalar C, one input at a time (any CPU).
        case portable = 0
        /// SSE4.1, 4 inputs at a time (x86-64).
        case sse41 = 1
        /// AVX2, 8 inputs at a time (x86-64).
        case avx2 = 2
        /// AVX-512F+VL, 16 inputs at a time (x86-64).
        case avx512 = 3

        /// The widest backend this CPU supports.
        public static var detected: Backend { Backend(rawValue: Int(cb3_detected_backend().rawValue)) ?? .portable }

        /// The backend used by default: forced, or else ``detected``.
        public static var active: Backend { Backend(rawValue: Int(cb3_active_backend().rawValue)) ?? .portable }

        /// Whether this backend can run on this CPU.
        public var isSupported: Bool { cb3_backend_supported(c) }

        /// Forces `backend` process-wide (`nil` returns to automatic).
        /// Returns false, changing nothing, if the CPU does not support it.
        @discardableResult
        public static func force(_ backend: Backend?) -> Bool {
            cb3_force_backend(Int32(backend?.rawValue ?? -1))
        }

        public var description: String {
            switch self {
            case .portable: "portable"
            case .sse41: "sse41"
            case .avx2: "avx2"
            case .avx512: "avx512"
            }
        }

        var c: cb3_backend { cb3_backend(rawValue: UInt32(rawValue)) }
    }
}
