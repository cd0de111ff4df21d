/// An element of the BN254 scalar field, r =
/// 21888242871839275222246405745257275088548364400416034343698204186575808495617
/// (0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001), the STARK field.
///
/// Stored as four little-endian 64-bit limbs in Montgomery form (x·2^256 mod r), always fully
/// reduced, so equal values have equal bits. The layout is exactly 32 bytes with no padding,
/// so a `[Fr]` is contiguous limbs that the C kernels read directly.
///
/// Arithmetic runs in the `CFieldKernels` C target, which picks a BMI2/ADX build or a portable
/// one from cpuid at load time (see docs/field.md).
public struct Fr: Sendable {
    /// The Montgomery-form limbs, least significant first.
    @usableFromInline package var limbs: (UInt64, UInt64, UInt64, UInt64)

    /// Wraps limbs that are already in Montgomery form and below r.
    @inlinable package init(montgomeryLimbs limbs: (UInt64, UInt64, UInt64, UInt64)) {
        self.limbs = limbs
    }

    /// The modulus r as little-endian limbs.
    package static let modulusLimbs: (UInt64, UInt64, UInt64, UInt64) =
        (0x43e1_f593_f000_0001, 0x2833_e848_79b9_7091, 0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029)
    /// 2^256 mod r: the Montgomery form of one.
    package static let montgomeryOne: (UInt64, UInt64, UInt64, UInt64) =
        (0xac96_341c_4fff_fffb, 0x36fc_7695_9f60_cd29, 0x666e_a36f_7879_462e, 0x0e0a_77c1_9a07_df2f)
    /// 2^512 mod r: multiplying by it converts into Montgomery form.
    package static let montgomeryR2: (UInt64, UInt64, UInt64, UInt64) =
        (0x1bb8_e645_ae21_6da7, 0x53fe_3ab1_e35c_59e3, 0x8c49_833d_53bb_8085, 0x0216_d0b1_7f4e_44a5)
    /// 2^768 mod r: turns a plain inverse of a Montgomery value back into Montgomery form.
    package static let montgomeryR3: (UInt64, UInt64, UInt64, UInt64) =
        (0x5e94_d8e1_b4bf_0040, 0x2a48_9cbe_1cfb_b6b8, 0x893c_c664_a19f_cfed, 0x0cf8_594b_7fcc_657c)

    /// The modulus r.
    public static let modulus = GMPInteger(littleEndianLimbs: [modulusLimbs.0, modulusLimbs.1, modulusLimbs.2, modulusLimbs.3])

    /// Size of the canonical byte encoding.
    public static let byteCount = 32

    public static let zero = Fr(montgomeryLimbs: (0, 0, 0, 0))
    public static let one = Fr(montgomeryLimbs: montgomeryOne)

    /// The element equal to a machine word.
    public init(_ value: UInt64) {
        self = Fr(montgomeryLimbs: (value, 0, 0, 0)) * Fr(montgomeryLimbs: Fr.montgomeryR2)
    }

    /// Creates the element whose canonical value has these little-endian limbs, or nil if the
    /// value is not below r.
    public init?(canonicalLimbs l: (UInt64, UInt64, UInt64, UInt64)) {
        guard Fr.isBelowModulus(l) else { return nil }
        self = Fr(montgomeryLimbs: l) * Fr(montgomeryLimbs: Fr.montgomeryR2)
    }

    /// The canonical value as little-endian limbs (out of Montgomery form).
    public var canonicalLimbs: (UInt64, UInt64, UInt64, UInt64) {
        (self * Fr(montgomeryLimbs: (1, 0, 0, 0))).limbs
    }

    /// Whether this is the zero element.
    public var isZero: Bool { (limbs.0 | limbs.1 | limbs.2 | limbs.3) == 0 }

    package static func isBelowModulus(_ l: (UInt64, UInt64, UInt64, UInt64)) -> Bool {
        let m = modulusLimbs
        if l.3 != m.3 { return l.3 < m.3 }
        if l.2 != m.2 { return l.2 < m.2 }
        if l.1 != m.1 { return l.1 < m.1 }
        return l.0 < m.0
    }
}

extension Fr: Hashable {
    public static func == (a: Fr, b: Fr) -> Bool {
        ((a.limbs.0 ^ b.limbs.0) | (a.limbs.1 ^ b.limbs.1) | (a.limbs.2 ^ b.limbs.2) | (a.limbs.3 ^ b.limbs.3)) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0)
        hasher.combine(limbs.1)
        hasher.combine(limbs.2)
        hasher.combine(limbs.3)
    }
}
