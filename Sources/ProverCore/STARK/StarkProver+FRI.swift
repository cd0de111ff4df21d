/// FRI over the DEEP polynomial (docs/stark.md, "FRI"): fold by F per layer (as log2 F
/// folds by two with β, β², β⁴, …), commit each intermediate layer with one leaf per coset
/// of F points, and send the last layer's polynomial as coefficients.
extension StarkProver {
    struct FRILayer {
        /// Evaluations on the layer's coset, natural order.
        let values: FrBuffer
        let size: Int
        let tree: MerkleTree
    }

    func commitFRI(_ deep: FrBuffer, transcript: inout Transcript) throws(StarkError) -> (layers: [FRILayer], remainder: [Fr]) {
        let f = layout.foldingFactor
        var current = deep, size = layout.ldeSize, shift = layout.shift
        var layers: [FRILayer] = []
        for l in 0..<layout.friFoldCount {
            if l > 0 {
                let tree = try commitLayer(current, size: size)
                transcript.absorb("fri-layer", digest: tree.root)
                layers.append(FRILayer(values: current, size: size, tree: tree))
            }
            var beta = transcript.challengeElement("fri-fold")
            for _ in 0..<f.trailingZeroBitCount {
                current = foldByTwo(current, size: size, shift: shift, beta: beta)
                size /= 2
                shift = shift * shift
                beta = beta * beta
            }
        }
        try mapFieldError("FRI remainder") { () throws(FieldError) in
            try NTT.cosetInverse(current.slice(0..<size), shift: shift, threads: threads)
        }
        for i in layout.remainderSize..<size where !current[i].isZero {
            throw StarkError.internalError("FRI remainder has a coefficient at degree \(i) ≥ \(layout.remainderSize)")
        }
        let remainder = Array(current.slice(0..<layout.remainderSize))
        transcript.absorb("fri-remainder", elements: remainder)
        return (layers, remainder)
    }

    /// One fold by two on the coset shift·⟨ω_size⟩: with P(x) = P_e(x²) + x·P_o(x²),
    ///   out[i] = (P(x_i) + P(−x_i)) + β·x_i⁻¹·(P(x_i) − P(−x_i)) = 2·(P_e + β·P_o)(x_i²),
    /// where −x_i = x_{i+size/2}. The factor 2 (no halving) saves a multiplication per point;
    /// the verifier folds the same way.
    private func foldByTwo(_ values: FrBuffer, size: Int, shift: Fr, beta: Fr) -> FrBuffer {
        let half = size / 2
        let out = FrBuffer(zeros: half)
        let omegaInverse = try! Fr.rootOfUnity(logOrder: size.trailingZeroBitCount).inverse!
        let betaOverShift = beta * shift.inverse!
        let input = SendablePointer(values.base), output = SendablePointer(out.base)
        Parallel.ranges(half, pieces: threads, grain: 4096) { start, length in
            var factor = betaOverShift * omegaInverse.power(UInt64(start))
            for i in start..<(start + length) {
                let a = input.pointer[i], b = input.pointer[i + half]
                output.pointer[i] = (a + b) + factor * (a - b)
                factor = factor * omegaInverse
            }
        }
        return out
    }

    private func commitLayer(_ values: FrBuffer, size: Int) throws(StarkError) -> MerkleTree {
        let f = layout.foldingFactor, stride = size / f
        let base = SendablePointer(values.base)
        do {
            return try MerkleTree(leafCount: stride, leafWidth: f, threads: threads) { leaf, out in
                for k in 0..<f { out[k] = base.pointer[leaf + k * stride] }
            }
        } catch {
            throw StarkError.internalError("FRI commitment: \(error)")
        }
    }

    /// For each committed layer, the leaves the queries reach and their multi-opening. A query
    /// at coset j of layer 0 sits at position j of layer 1; at a layer of size M its leaf is
    /// position mod M/F, which is also its position in the next layer.
    func openFRI(_ layers: [FRILayer], queries: [Int]) throws(StarkError) -> [StarkProof.Opening] {
        let f = layout.foldingFactor
        var positions = queries
        var openings: [StarkProof.Opening] = []
        for layer in layers {
            let stride = layer.size / f
            positions = positions.map { $0 % stride }
            let leaves = Array(Set(positions)).sorted()
            var values: [Fr] = []
            values.reserveCapacity(leaves.count * f)
            for leaf in leaves {
                for k in 0..<f { values.append(layer.values[leaf + k * stride]) }
            }
            do {
                openings.append(StarkProof.Opening(leafWidth: f, values: values, proof: try layer.tree.open(indices: leaves)))
            } catch {
                throw StarkError.internalError("FRI opening: \(error)")
            }
        }
        return openings
    }
}
