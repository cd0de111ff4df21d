import ProverCore
import Testing

@Suite("Fr parsing and encodings")
struct FrEncodingTests {
    static let r = "21888242871839275222246405745257275088548364400416034343698204186575808495617"
    static let rHex = "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001"

    @Test func parsesDecimalAndHex() throws {
        #expect(try Fr(parsing: "0") == .zero)
        #expect(try Fr(parsing: "1") == .one)
        #expect(try Fr(parsing: "0x0") == .zero)
        #expect(try Fr(parsing: "0XfF") == Fr(255))
        #expect(try Fr(parsing: "007") == Fr(7))
        let rMinus1 = "21888242871839275222246405745257275088548364400416034343698204186575808495616"
        #expect(try Fr(parsing: rMinus1) == -Fr.one)
        #expect(try Fr(parsing: "0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000") == -Fr.one)
        #expect(try Fr(parsing: rMinus1).decimalString == rMinus1)
    }

    @Test(arguments: [
        ("", FieldError.emptyInput), ("0x", .emptyInput), ("-1", .invalidCharacter), ("+1", .invalidCharacter),
        (" 1", .invalidCharacter), ("1 ", .invalidCharacter), ("12a", .invalidCharacter), ("0xg1", .invalidCharacter),
        ("1_000", .invalidCharacter), ("1.5", .invalidCharacter), ("0x-1", .invalidCharacter),
        (r, .valueOutOfRange), (rHex, .valueOutOfRange),
        ("21888242871839275222246405745257275088548364400416034343698204186575808495618", .valueOutOfRange),
        // 2^254 and 2^256 and beyond
        ("28948022309329048855892746252171976963317496166410141009864396001978282409984", .valueOutOfRange),
        ("115792089237316195423570985008687907853269984665640564039457584007913129639936", .valueOutOfRange),
        ("0x1" + String(repeating: "0", count: 80), .valueOutOfRange),
    ])
    func rejectsMalformedOrOutOfRangeText(text: String, expected: FieldError) {
        #expect(throws: expected) { try Fr(parsing: text) }
    }

    @Test func byteEncodingsRoundTrip() throws {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<500 {
            let x = Fr.random(using: &rng)
            #expect(try Fr(littleEndianBytes: x.littleEndianBytes) == x)
            #expect(try Fr(bigEndianBytes: x.bigEndianBytes) == x)
            #expect(x.bigEndianBytes == x.littleEndianBytes.reversed())
            #expect(try Fr(parsing: x.hexString) == x)
        }
        #expect(Fr(1).bigEndianBytes == [UInt8](repeating: 0, count: 31) + [1])
        #expect(Fr(0x0102).littleEndianBytes.prefix(3) == [2, 1, 0])
    }

    @Test func byteDecodingRejectsWrongLengthAndNonCanonicalValues() {
        #expect(throws: FieldError.invalidLength) { try Fr(bigEndianBytes: [UInt8](repeating: 0, count: 31)) }
        #expect(throws: FieldError.invalidLength) { try Fr(littleEndianBytes: [UInt8](repeating: 0, count: 33)) }
        #expect(throws: FieldError.invalidLength) { try Fr(littleEndianBytes: []) }
        let rBytes = (try! GMPInteger(parsing: Self.rHex)).littleEndianLimbs(count: 4).flatMap { limb in
            (0..<8).map { UInt8(truncatingIfNeeded: limb >> (8 * $0)) }
        }
        #expect(throws: FieldError.valueOutOfRange) { try Fr(littleEndianBytes: rBytes) }
        #expect(throws: FieldError.valueOutOfRange) { try Fr(bigEndianBytes: rBytes.reversed()) }
        #expect(throws: FieldError.valueOutOfRange) { try Fr(bigEndianBytes: [UInt8](repeating: 0xff, count: 32)) }
    }

    @Test func errorsCarryStableCodes() {
        do {
            _ = try Fr(parsing: "12z")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == "invalid_character")
            #expect(error.description.contains("offset 2"))
        }
    }

    @Test func genericFieldRejectsBadModuli() throws {
        #expect(throws: FieldError.invalidModulus) { try GMPPrimeField(modulus: GMPInteger(10)) }
        #expect(throws: FieldError.invalidModulus) { try GMPPrimeField(modulus: GMPInteger(2)) }
        #expect(throws: FieldError.invalidModulus) { try GMPPrimeField(modulus: GMPInteger(1)) }
        let f7 = try! GMPPrimeField(modulus: GMPInteger(7))
        #expect(throws: FieldError.valueOutOfRange) { try f7.element(parsing: "7") }
        #expect(throws: FieldError.divisionByZero) { try f7.inverse(GMPInteger()) }
        #expect(try f7.inverse(GMPInteger(3)) == GMPInteger(5))
    }
}
