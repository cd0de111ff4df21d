extension Fr {
    /// A uniformly random element: 254 random bits, rejected and redrawn when >= r
    /// (r > 2^253, so at most half of the draws are rejected).
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> Fr {
        while true {
            let l = (generator.next() as UInt64, generator.next() as UInt64, generator.next() as UInt64,
                     (generator.next() as UInt64) & 0x3fff_ffff_ffff_ffff)
            if isBelowModulus(l) { return Fr(montgomeryLimbs: l) }  // uniform in Montgomery form too
        }
    }

    /// A uniformly random element from the system generator.
    public static func random() -> Fr {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }
}
