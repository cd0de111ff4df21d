extension Fr {
    /// r - 1 = 2^28 · odd: the largest power-of-two subgroup has order 2^28.
    public static let twoAdicity = 28

    /// 5, a generator of the multiplicative group (5 is a quadratic non-residue mod r and
    /// (r-1)/2^28 is odd, so 5^((r-1)/2^28) has order exactly 2^28). Also the coset shift
    /// used for low-degree extensions.
    public static let multiplicativeGenerator = Fr(5)

    /// 5^((r-1)/2^28) = 0x2a3c09f0a58a7e8500e0a7eb8ef62abc402d111e41112ed49bd61b6e725b19f0, a
    /// primitive 2^28-th root of unity (derived here; tests check its order).
    public static let twoAdicRootOfUnity = Fr(montgomeryLimbs:
        (0x636e_7355_80d1_3d9c, 0xa22b_f374_2445_ffd6, 0x5645_2ac0_1eb2_03d8, 0x1860_ef94_2963_f9e7))

    /// A primitive root of unity of order 2^logOrder, for 0 <= logOrder <= 28.
    public static func rootOfUnity(logOrder: Int) throws(FieldError) -> Fr {
        guard (0...twoAdicity).contains(logOrder) else {
            throw FieldError.unsupportedSize("root of unity of order 2^\(logOrder): the field's two-adicity is \(twoAdicity)")
        }
        var root = twoAdicRootOfUnity
        for _ in logOrder..<twoAdicity { root = root.squared() }
        return root
    }
}
