import Foundation
import ProverCore
import Testing

/// The official BLAKE3 test vectors (BLAKE3-team/BLAKE3, test_vectors.json),
/// copied into Fixtures/. Input of case n: bytes i % 251 for i in 0..<n.
struct Blake3Vectors: Decodable {
    struct Case: Decodable, Sendable {
        let input_len: Int
        let hash: String
        let keyed_hash: String
        let derive_key: String
    }
    let key: String
    let context_string: String
    let cases: [Case]

    static let shared: Blake3Vectors = {
        let url = Bundle.module.url(forResource: "blake3_test_vectors", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(Blake3Vectors.self, from: Data(contentsOf: url))
    }()

    static func input(_ n: Int) -> [UInt8] { (0..<n).map { UInt8($0 % 251) } }
}

/// Backends exercised by the parameterized tests: those this CPU supports,
/// below AVX-512 (which has its own test, skipped with a message if absent).
let blake3TestBackends: [Blake3.Backend] = [.portable, .sse41, .avx2].filter(\.isSupported)

/// Feeds `input` to `hasher` in pieces of the given sizes, cycling.
func feed(_ hasher: inout Blake3.Hasher, _ input: [UInt8], pieces: [Int]) {
    var i = 0
    var k = 0
    while i < input.count {
        let n = min(pieces[k % pieces.count], input.count - i)
        hasher.update(input[i..<(i + n)])
        i += n
        k += 1
    }
}

// [2048] and [4096, 1024]: updates of whole power-of-two subtrees, kept as a pending parent
// until the next update or finalize.
let splitPatterns: [[Int]] = [[1], [7, 64, 3], [63], [64], [1023], [1024], [1025], [3000, 1, 5000], [2048], [4096, 1024]]

/// Checks every vector (all three modes, full extended output, 32-byte
/// digest, one-shot and streaming with several split patterns) with `backend`.
func checkAllVectors(backend: Blake3.Backend) throws {
    let v = Blake3Vectors.shared
    let key = Array(v.key.utf8)
    #expect(v.cases.count == 35)
    for c in v.cases {
        let input = Blake3Vectors.input(c.input_len)
        let modes: [(String, () throws -> Blake3.Hasher)] = [
            (c.hash, { Blake3.Hasher(backend: backend) }),
            (c.keyed_hash, { try Blake3.Hasher(key: key, backend: backend) }),
            (c.derive_key, { Blake3.Hasher(derivingKeyWithContext: v.context_string, backend: backend) }),
        ]
        for (index, (expectedHex, make)) in modes.enumerated() {
            let expected = try Hex.decode(expectedHex)
            var oneShot = try make()
            oneShot.update(input)
            #expect(oneShot.finalize(outputLength: expected.count) == expected, "len \(c.input_len) mode \(index)")
            #expect(oneShot.finalize().bytes == Array(expected.prefix(32)), "len \(c.input_len) mode \(index)")
            for pieces in splitPatterns {
                var streaming = try make()
                feed(&streaming, input, pieces: pieces)
                #expect(streaming.finalize().bytes == Array(expected.prefix(32)),
                        "len \(c.input_len) mode \(index) pieces \(pieces)")
            }
            // Seekable XOF: read the tail from an offset.
            var reader = oneShot.finalizeXOF()
            reader.seek(to: 37)
            #expect(reader.read(count: expected.count - 37) == Array(expected[37...]))
        }
    }
}

@Suite struct Blake3VectorTests {
    @Test(arguments: blake3TestBackends)
    func officialVectors(backend: Blake3.Backend) throws {
        try checkAllVectors(backend: backend)
    }

    @Test(.enabled(if: Blake3.Backend.avx512.isSupported, "this CPU has no AVX-512F+VL: AVX-512 path not run"))
    func officialVectorsAVX512() throws {
        try checkAllVectors(backend: .avx512)
    }

    @Test func publicOneShotAPIs() throws {
        let v = Blake3Vectors.shared
        let key = Array(v.key.utf8)
        for c in v.cases {
            let input = Blake3Vectors.input(c.input_len)
            #expect(Blake3.hash(input).hex == String(c.hash.prefix(64)))
            #expect(Blake3.hash(input, outputLength: c.hash.count / 2) == (try Hex.decode(c.hash)))
            #expect(try Blake3.keyedHash(key: key, input).hex == String(c.keyed_hash.prefix(64)))
            #expect(Blake3.deriveKey(context: v.context_string, keyMaterial: input).hex == String(c.derive_key.prefix(64)))
            #expect(Blake3.deriveKey(context: v.context_string, keyMaterial: input, outputLength: c.derive_key.count / 2)
                    == (try Hex.decode(c.derive_key)))
            let parallel = input.withUnsafeBytes { Blake3.hashParallel($0) }
            #expect(parallel.hex == String(c.hash.prefix(64)))
        }
    }
}
