import ProverCore
import Testing

func randomRows(_ rows: Int, width: Int, seed: UInt64) -> [Fr] {
    var rng = SplitMix64(seed: seed)
    return (0..<(rows * width)).map { _ in Fr.random(using: &rng) }
}

@Suite("Merkle tree")
struct MerkleTreeTests {
    @Test func rootMatchesADirectComputation() throws {
        let rows = randomRows(4, width: 3, seed: 1)
        let tree = try MerkleTree(rows: rows, rowWidth: 3)
        let leaves = (0..<4).map { MerkleTree.leafDigest(row: rows[(3 * $0)..<(3 * $0 + 3)]) }
        func node(_ a: Blake3.Digest, _ b: Blake3.Digest) -> Blake3.Digest { Blake3.hash(a.bytes + b.bytes) }
        #expect(tree.root == node(node(leaves[0], leaves[1]), node(leaves[2], leaves[3])))
        // A leaf is BLAKE3 of the row's canonical little-endian bytes.
        #expect(leaves[0] == Blake3.hash(rows[0].littleEndianBytes + rows[1].littleEndianBytes + rows[2].littleEndianBytes))
        #expect(try tree.leafDigest(2) == leaves[2])
        let single = try MerkleTree(rows: Array(rows.prefix(3)), rowWidth: 3)
        #expect(single.root == leaves[0])
    }

    @Test(arguments: [1, 2, 3, 8])
    func threadedAndBatchedBuildsAgree(width: Int) throws {
        let rows = randomRows(1 << 12, width: width, seed: UInt64(width))
        let one = try MerkleTree(rows: rows, rowWidth: width, threads: 1)
        let two = try MerkleTree(rows: rows, rowWidth: width, threads: 2)
        #expect(one.root == two.root)
        var leaves: [UInt8] = []
        for r in 0..<(1 << 12) { leaves += MerkleTree.leafDigest(row: rows[(width * r)..<(width * r + width)]).bytes }
        #expect(try MerkleTree(leafDigests: leaves).root == one.root)
    }

    @Test func openingsVerifyForManyIndexSets() throws {
        let rows = randomRows(64, width: 2, seed: 9)
        let tree = try MerkleTree(rows: rows, rowWidth: 2)
        let sets: [[Int]] = [[0], [63], [0, 1], [0, 63], [5, 6, 7, 8], Array(0..<64), [1, 2, 33, 34, 62]]
        for indices in sets {
            let proof = try tree.open(indices: indices)
            let leaves = try indices.map { (index: $0, digest: try tree.leafDigest($0)) }
            try MerkleTree.verify(root: tree.root, leafCount: 64, leaves: leaves, proof: proof)
            // Shared nodes are sent once: opening everything needs no siblings at all.
            if indices.count == 64 { #expect(proof.siblings.isEmpty) }
            if indices == [0] { #expect(proof.siblings.count == 6) }
            if indices == [0, 1] { #expect(proof.siblings.count == 5) }
            #expect(try MerkleMultiProof(decoding: proof.encoded) == proof)
        }
    }

    @Test func anyFlippedSiblingLeafOrIndexFails() throws {
        let tree = try MerkleTree(rows: randomRows(32, width: 4, seed: 3), rowWidth: 4)
        let indices = [3, 17, 30]
        let proof = try tree.open(indices: indices)
        let leaves = try indices.map { (index: $0, digest: try tree.leafDigest($0)) }
        for i in proof.siblings.indices {
            var bad = proof
            var bytes = bad.siblings[i].bytes
            bytes[i % 32] ^= 1
            bad.siblings[i] = try Blake3.Digest(bytes: bytes)
            #expect(throws: MerkleError.rootMismatch) { try MerkleTree.verify(root: tree.root, leafCount: 32, leaves: leaves, proof: bad) }
        }
        var badLeaf = leaves
        badLeaf[1].digest = try tree.leafDigest(16)
        #expect(throws: MerkleError.rootMismatch) { try MerkleTree.verify(root: tree.root, leafCount: 32, leaves: badLeaf, proof: proof) }
        var movedIndex = leaves
        movedIndex[1].index = 18
        #expect(throws: MerkleError.self) { try MerkleTree.verify(root: tree.root, leafCount: 32, leaves: movedIndex, proof: proof) }
        #expect(throws: MerkleError.self) { try MerkleTree.verify(root: tree.root, leafCount: 64, leaves: leaves, proof: proof) }
    }

    @Test func malformedOpeningsAreRejectedBeforeUse() throws {
        let tree = try MerkleTree(rows: randomRows(16, width: 1, seed: 4), rowWidth: 1)
        let proof = try tree.open(indices: [2, 9])
        let leaves = try [2, 9].map { (index: $0, digest: try tree.leafDigest($0)) }
        var short = proof
        short.siblings.removeLast()
        #expect(throws: MerkleError.proofTooShort) { try MerkleTree.verify(root: tree.root, leafCount: 16, leaves: leaves, proof: short) }
        var long = proof
        long.siblings.append(proof.siblings[0])
        #expect(throws: MerkleError.proofTooLong) { try MerkleTree.verify(root: tree.root, leafCount: 16, leaves: leaves, proof: long) }
        #expect(throws: MerkleError.indexOutOfRange) {
            try MerkleTree.verify(root: tree.root, leafCount: 16, leaves: [(index: 16, digest: leaves[0].digest)], proof: proof)
        }
        #expect(throws: MerkleError.indicesNotIncreasing) {
            try MerkleTree.verify(root: tree.root, leafCount: 16, leaves: leaves.reversed(), proof: proof)
        }
        #expect(throws: MerkleError.noIndices) { try MerkleTree.verify(root: tree.root, leafCount: 16, leaves: [], proof: proof) }
        #expect(throws: MerkleError.invalidLeafCount) { try MerkleTree.verify(root: tree.root, leafCount: 12, leaves: leaves, proof: proof) }
        #expect(throws: MerkleError.indicesNotIncreasing) { try tree.open(indices: [3, 3]) }
        #expect(throws: MerkleError.indexOutOfRange) { try tree.open(indices: [-1]) }
        // Byte encodings: truncated, extended, or claiming absurd counts.
        let bytes = proof.encoded
        for cut in 0..<bytes.count {
            #expect(throws: MerkleError.malformedProof) { try MerkleMultiProof(decoding: Array(bytes.prefix(cut))) }
        }
        #expect(throws: MerkleError.malformedProof) { try MerkleMultiProof(decoding: bytes + [0]) }
        #expect(throws: MerkleError.malformedProof) { try MerkleMultiProof(decoding: [0xff, 0xff, 0xff, 0xff]) }
    }

    @Test func badShapesAreRejected() {
        #expect(throws: MerkleError.invalidLeafCount) { try MerkleTree(rows: randomRows(3, width: 1, seed: 1), rowWidth: 1) }
        #expect(throws: MerkleError.invalidLeafCount) { try MerkleTree(rows: [], rowWidth: 1) }
        #expect(throws: MerkleError.invalidRowWidth) { try MerkleTree(rows: randomRows(4, width: 1, seed: 1), rowWidth: 3) }
        #expect(throws: MerkleError.invalidRowWidth) { try MerkleTree(rows: randomRows(4, width: 1, seed: 1), rowWidth: 0) }
        #expect(throws: MerkleError.invalidLeafCount) { try MerkleTree(leafDigests: [1, 2, 3]) }
    }
}
