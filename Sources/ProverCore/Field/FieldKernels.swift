import CFieldKernels

/// Direct calls into the C scalar kernels, for tests that compare backends and for the
/// benchmark that weighs a C call against the inlined Swift path.
public enum FieldKernels {
    /// a·b through `prover_fr_mul` (the selected `FieldBackend`).
    public static func multiply(_ a: Fr, _ b: Fr) -> Fr {
        var a = a, b = b, out = Fr(montgomeryLimbs: (0, 0, 0, 0))
        withUnsafeMutableBytes(of: &out.limbs) { o in
            withUnsafeBytes(of: &a.limbs) { pa in
                withUnsafeBytes(of: &b.limbs) { pb in
                    prover_fr_mul(o.baseAddress!.assumingMemoryBound(to: UInt64.self),
                                  pa.baseAddress!.assumingMemoryBound(to: UInt64.self),
                                  pb.baseAddress!.assumingMemoryBound(to: UInt64.self))
                }
            }
        }
        return out
    }
}
