/// The Fiat–Shamir schedule shared by prover and verifier: what is absorbed, in which order,
/// under which labels (docs/stark.md, "Transcript").
package enum StarkTranscript {
    /// The protocol's domain separator.
    package static let domain = "prover-stark v1"

    /// A transcript bound to the statement: parameters, the BLAKE3 digest of the AIR's
    /// canonical encoding, the public inputs, and the caller's binding bytes (e.g. a proof type
    /// and canonical context, so a proof cannot be relabelled as another statement whose AIR
    /// and public inputs happen to coincide).
    package static func start(program: AirProgram, publicInputs: [Fr], parameters: StarkParameters, binding: [UInt8] = []) -> Transcript {
        var t = Transcript(domain: domain)
        t.absorb("parameters", bytes: parameters.encoded)
        t.absorb("air", digest: Blake3.hash(program.encode()))
        t.absorb("public-inputs", elements: publicInputs)
        t.absorb("binding", bytes: binding)
        return t
    }

    /// `count` successive powers 1, x, x², … of `x`.
    package static func powers(of x: Fr, count: Int) -> [Fr] {
        var out: [Fr] = []
        out.reserveCapacity(count)
        var p = Fr.one
        for _ in 0..<count {
            out.append(p)
            p = p * x
        }
        return out
    }
}
