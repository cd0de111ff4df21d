import Foundation
import ProverDaemon
import Testing

/// The API's JSON writer: sorted keys by code point, exact scalars, escapes, and what
/// `JSONSerialization` reads back.
@Suite("JSON text")
struct JSONTextTests {
    func text(_ value: Any) throws -> String { String(decoding: try JSONText.encode(value), as: UTF8.self) }

    @Test func keysAreSortedByCodePointAndNothingIsPadded() throws {
        #expect(try text(["b": 1, "a": ["z": true, "B": false], "a10": 2, "a9": 3]) == #"{"a":{"B":false,"z":true},"a10":2,"a9":3,"b":1}"#)
        #expect(try text([Any]()) == "[]")
        #expect(try text([String: Any]()) == "{}")
    }

    @Test func scalarsKeepTheirKind() throws {
        #expect(try text([1, true, false, 1.5, 2.0, -7, NSNull(), "x"] as [Any]) == #"[1,true,false,1.5,2,-7,null,"x"]"#)
        // Parsed numbers arrive as NSNumber: a parsed 1 stays a number and a parsed true a Boolean.
        let parsed = try JSONSerialization.jsonObject(with: Data(#"[1,true,0,false,0.25,18446744073709551615,-9007199254740993]"#.utf8))
        #expect(try text(parsed) == #"[1,true,0,false,0.25,18446744073709551615,-9007199254740993]"#)
    }

    @Test func stringsAreEscapedAndSlashesAreNot() throws {
        #expect(try text("a\"b\\c/d\n\t\u{01}é") == #""a\"b\\c/d\n\t\u0001é""#)
    }

    @Test func nonFiniteNumbersAndOtherTypesAreRefused() {
        #expect(throws: JSONText.Unencodable.self) { try JSONText.encode([Double.nan]) }
        #expect(throws: JSONText.Unencodable.self) { try JSONText.encode(["d": Date()]) }
    }

    @Test func randomTreesReadBackAsWritten() throws {
        var generator = SystemRandomNumberGenerator()
        func tree(_ depth: Int) -> Any {
            switch Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator) {
            case 0: return Int.random(in: -1_000_000...1_000_000, using: &generator)
            case 1: return Bool.random(using: &generator)
            case 2: return String((0..<Int.random(in: 0..<8)).map { _ in "ab\"\\/\n é€😀".randomElement()! })
            case 3: return Double(Int.random(in: -1000...1000)) / 8
            case 4: return (0..<Int.random(in: 0..<4)).map { _ in tree(depth + 1) }
            default:
                var object: [String: Any] = [:]
                for _ in 0..<Int.random(in: 0..<4) { object["k\(Int.random(in: 0..<20))"] = tree(depth + 1) }
                return object
            }
        }
        for _ in 0..<500 {
            let value = tree(0)
            let data = try JSONText.encode(value)
            let back = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            // Writing what was read gives the same bytes: nothing was lost or reordered.
            #expect(try JSONText.encode(back) == data)
            // And Foundation's writer sees the same value in what was read back as in the original.
            let options: JSONSerialization.WritingOptions = [.sortedKeys, .fragmentsAllowed]
            #expect(try JSONSerialization.data(withJSONObject: back, options: options) == JSONSerialization.data(withJSONObject: value, options: options))
        }
    }
}
