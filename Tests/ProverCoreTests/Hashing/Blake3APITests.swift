import ProverCore
import Testing

@Suite struct Blake3APITests {
    @Test func keyMustBe32Bytes() {
        #expect(throws: Blake3Error.invalidKeyLength) { _ = try Blake3.keyedHash(key: [UInt8](repeating: 1, count: 31), [1, 2, 3]) }
        #expect(throws: Blake3Error.invalidKeyLength) { _ = try Blake3.Hasher(key: [UInt8](repeating: 1, count: 33)) }
        #expect(throws: Never.self) { _ = try Blake3.Hasher(key: [UInt8](repeating: 1, count: 32)) }
    }

    @Test func digestHexRoundTrip() throws {
        let d = Blake3.hash(Array("abc".utf8))
        // From the BLAKE3 reference: b3sum of "abc".
        #expect(d.hex == "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85")
        #expect(d.description == d.hex)
        #expect(try Blake3.Digest(hex: d.hex) == d)
        #expect(try Blake3.Digest(hex: d.hex.uppercased()) == d)
        #expect(try Blake3.Digest(bytes: d.bytes) == d)
        #expect(Set([d, d, Blake3.hash([])]).count == 2)
    }

    @Test func badHexGivesTypedErrors() throws {
        #expect(throws: Blake3Error.invalidHexLength) { _ = try Hex.decode("abc") }
        #expect(throws: Blake3Error.invalidHexCharacter) { _ = try Hex.decode("zz") }
        #expect(throws: Blake3Error.invalidHexCharacter) { _ = try Hex.decode("0x12") }
        #expect(throws: Blake3Error.invalidHexLength) { _ = try Blake3.Digest(hex: "00") }
        #expect(throws: Blake3Error.invalidDigestLength) { _ = try Blake3.Digest(bytes: [1, 2]) }
        #expect(try Hex.decode("") == [])
        #expect(try Hex.decode("00fF10") == [0, 255, 16])
    }

    @Test func errorCodesAreStable() {
        #expect(Blake3Error.invalidKeyLength.errorCode == 1)
        #expect(Blake3Error.invalidHexLength.errorCode == 2)
        #expect(Blake3Error.invalidHexCharacter.errorCode == 3)
        #expect(Blake3Error.invalidDigestLength.errorCode == 4)
        #expect(Blake3Error.invalidBufferLength.errorCode == 5)
        #expect(Blake3Error.invalidKeyLength != Blake3Error.invalidHexLength)
    }

    @Test func finalizeDoesNotConsumeAndXOFPrefixes() {
        var h = Blake3.Hasher()
        h.update(Array("hello".utf8))
        let a = h.finalize()
        #expect(h.finalize() == a)
        let long = h.finalize(outputLength: 1000)
        #expect(Array(long.prefix(32)) == a.bytes)
        #expect(h.finalize(outputLength: 0) == [])
        var reader = h.finalizeXOF()
        var pieces: [UInt8] = []
        for n in [1, 63, 64, 65, 200, 607] { pieces += reader.read(count: n) }
        #expect(pieces == long)
        h.update(Array(" world".utf8))
        #expect(h.finalize() == Blake3.hash(Array("hello world".utf8)))
    }

    @Test func backendDetectionIsConsistent() {
        #expect(Blake3.Backend.portable.isSupported)
        #expect(Blake3.Backend.detected.isSupported)
        #expect(Blake3.Backend.active.isSupported)
        if !Blake3.Backend.avx512.isSupported { #expect(Blake3.Backend.force(.avx512) == false) }
    }
}
