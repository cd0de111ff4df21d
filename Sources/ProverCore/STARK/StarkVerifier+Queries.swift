/// The query phase of verification: Merkle openings, the DEEP polynomial at every opened
/// point, and FRI folding down to the remainder.
extension StarkVerifier {
    static func checkQueries(
        _ proof: StarkProof, layout: StarkLayout, queries: [Int], z: Fr, gamma: Fr, betas: [Fr]
    ) throws(StarkError) {
        let m = layout.ldeSize, f = layout.foldingFactor, stride = m / f
        let w = layout.traceWidth, s = layout.segmentCount
        try checkOpening(proof.traceOpening, root: proof.traceRoot, leafCount: stride, leaves: queries, what: "trace")
        try checkOpening(proof.compositionOpening, root: proof.compositionRoot, leafCount: stride, leaves: queries, what: "composition")

        // DEEP values at the F points of each queried coset.
        let powers = DomainPowers(layout)
        let zNext = z * layout.traceGenerator
        var denominators = [Fr](repeating: .zero, count: 2 * queries.count * f)
        for (q, j) in queries.enumerated() {
            for k in 0..<f {
                let x = layout.shift * powers.omega(j + k * stride)
                denominators[2 * (q * f + k)] = x - z
                denominators[2 * (q * f + k) + 1] = x - zNext
            }
        }
        guard !denominators.contains(where: \.isZero) else {
            throw StarkError.oodMismatch("the out-of-domain point coincides with a queried point")
        }
        denominators.withUnsafeMutableBufferPointer { Fr.batchInvert($0) }
        let g = StarkTranscript.powers(of: gamma, count: 2 * w + s)
        var constantZ = Fr.zero, constantNext = Fr.zero
        for c in 0..<w {
            constantZ += g[c] * proof.oodTraceCurrent[c]
            constantNext += g[w + c] * proof.oodTraceNext[c]
        }
        for j in 0..<s { constantZ += g[2 * w + j] * proof.oodComposition[j] }
        var cosets = [[Fr]](repeating: [], count: queries.count)
        for q in 0..<queries.count {
            for k in 0..<f {
                let traceRow = (q * f + k) * w, segmentRow = (q * f + k) * s
                var atZ = Fr.zero - constantZ, atNext = Fr.zero - constantNext
                for c in 0..<w {
                    let t = proof.traceOpening.values[traceRow + c]
                    atZ += g[c] * t
                    atNext += g[w + c] * t
                }
                for j in 0..<s { atZ += g[2 * w + j] * proof.compositionOpening.values[segmentRow + j] }
                cosets[q].append(atZ * denominators[2 * (q * f + k)] + atNext * denominators[2 * (q * f + k) + 1])
            }
        }

        guard layout.friFoldCount > 0 else {
            // No folding: the DEEP polynomial itself must be the remainder.
            for (q, j) in queries.enumerated() {
                for k in 0..<f where evaluate(proof.remainder, at: layout.shift * powers.omega(j + k * stride)) != cosets[q][k] {
                    throw StarkError.friMismatch("query \(q): the remainder disagrees with the DEEP polynomial")
                }
            }
            return
        }

        var folded = queries.enumerated().map { q, j in fold(cosets[q], layer: 0, leaf: j, beta: betas[0], layout: layout, powers: powers) }
        var positions = queries
        for l in 1..<layout.friFoldCount {
            let opening = proof.friOpenings[l - 1]
            let layerStride = layout.layerSize(l) / f
            let leaves = Array(Set(positions.map { $0 % layerStride })).sorted()
            try checkOpening(opening, root: proof.friRoots[l - 1], leafCount: layerStride, leaves: leaves, what: "FRI layer \(l)")
            var slotOfLeaf: [Int: Int] = [:]
            for (i, leaf) in leaves.enumerated() { slotOfLeaf[leaf] = i }
            for q in 0..<queries.count {
                let leaf = positions[q] % layerStride, slot = positions[q] / layerStride
                let at = slotOfLeaf[leaf]! * f
                let values = Array(opening.values[at..<(at + f)])
                guard values[slot] == folded[q] else {
                    throw StarkError.friMismatch("query \(q): layer \(l) disagrees with the fold of layer \(l - 1)")
                }
                folded[q] = fold(values, layer: l, leaf: leaf, beta: betas[l], layout: layout, powers: powers)
                positions[q] = leaf
            }
        }
        // The last fold lands on layer L, which the remainder describes.
        let last = layout.friFoldCount
        let lastShift = layout.layerShift(last), scale = layout.ldeSize / layout.layerSize(last)
        for q in 0..<queries.count {
            let x = lastShift * powers.omega(positions[q] * scale)
            guard evaluate(proof.remainder, at: x) == folded[q] else {
                throw StarkError.friMismatch("query \(q): the remainder disagrees with the last fold")
            }
        }
    }

    /// Recomputes each opened leaf's digest and checks the multi-opening against `root`.
    private static func checkOpening(
        _ opening: StarkProof.Opening, root: Blake3.Digest, leafCount: Int, leaves: [Int], what: String
    ) throws(StarkError) {
        guard opening.leafCount == leaves.count, opening.values.count == leaves.count * opening.leafWidth else {
            throw StarkError.malformedProof("\(what): \(opening.leafCount) leaves opened, the queries reach \(leaves.count)")
        }
        let width = opening.leafWidth
        let digests = leaves.enumerated().map { i, leaf in
            (index: leaf, digest: MerkleTree.leafDigest(row: opening.values[(i * width)..<((i + 1) * width)]))
        }
        do {
            try MerkleTree.verify(root: root, leafCount: leafCount, leaves: digests, proof: opening.proof)
        } catch {
            throw StarkError.commitmentMismatch("\(what): \(error)")
        }
    }

    /// Folds one leaf of layer `layer` (F values at positions leaf + k·M/F of a domain of size
    /// M) down to the value at position `leaf` of the next layer, as log2 F folds by two:
    /// out = (a + b) + β·x⁻¹·(a − b) with b the value at −x (the prover's rule).
    private static func fold(_ leafValues: [Fr], layer: Int, leaf: Int, beta: Fr, layout: StarkLayout, powers: DomainPowers) -> Fr {
        var values = leafValues
        var count = layout.foldingFactor, size = layout.layerSize(layer)
        var shiftInverse = layout.layerShift(layer).inverse!, b = beta
        while count > 1 {
            let half = count / 2, spacing = size / count, scale = layout.ldeSize / size
            for k in 0..<half {
                // x⁻¹ = shift⁻¹·ω_size^(−position), and ω_size = ω_m^(m/size).
                let position = leaf + k * spacing
                let xInverse = shiftInverse * powers.omega((layout.ldeSize - position * scale) % layout.ldeSize)
                let (a, c) = (values[k], values[k + half])
                values[k] = (a + c) + b * xInverse * (a - c)
            }
            count = half
            size /= 2
            shiftInverse = shiftInverse * shiftInverse
            b = b * b
        }
        return values[0]
    }

    private static func evaluate(_ coefficients: [Fr], at x: Fr) -> Fr {
        var acc = Fr.zero
        for c in coefficients.reversed() { acc = acc * x + c }
        return acc
    }

    /// ω_m^e for any e < m from a table of ω_m^(2^i): one multiplication per set bit.
    struct DomainPowers {
        let squares: [Fr]

        init(_ layout: StarkLayout) {
            var table: [Fr] = [], p = layout.ldeGenerator
            for _ in 0..<max(1, layout.ldeSize.trailingZeroBitCount) {
                table.append(p)
                p = p * p
            }
            squares = table
        }

        func omega(_ e: Int) -> Fr {
            var out = Fr.one, rest = e, i = 0
            while rest != 0 {
                if rest & 1 == 1 { out = out * squares[i] }
                rest >>= 1
                i += 1
            }
            return out
        }
    }
}
