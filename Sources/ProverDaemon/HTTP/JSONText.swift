import Foundation

/// Writes the API's JSON values (`[String: Any]` trees as `TaskJSON` builds them, or as
/// `JSONSerialization` parses them) with keys sorted by code point, slashes unescaped, no
/// whitespace.
///
/// `JSONSerialization` with `.sortedKeys` sorts with a locale-aware string comparison; on the
/// status route that was 46% of the server's CPU time (`perf record` under `prover bench api`).
package enum JSONText {
    package struct Unencodable: Error, CustomStringConvertible {
        package let description: String
    }

    package static func encode(_ value: Any) throws -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        try write(value, into: &out)
        return Data(out)
    }

    private static func write(_ value: Any, into out: inout [UInt8]) throws {
        // Exact native types first, with casts that cannot bridge: `as?` to a Foundation type
        // would bridge a whole dictionary to NSDictionary, and NSNumber would lose Bool vs Int.
        let type = type(of: value)
        if type == String.self {
            writeString(value as! String, into: &out)
        } else if type == Int.self {
            out.append(contentsOf: String(value as! Int).utf8)
        } else if type == Bool.self {
            out.append(contentsOf: (value as! Bool ? "true" : "false").utf8)
        } else if type == Double.self {
            try writeDouble(value as! Double, into: &out)
        } else if type == [String: Any].self {
            try writeObject(value as! [String: Any], into: &out)
        } else if type == [Any].self {
            try writeArray(value as! [Any], into: &out)
        } else if let number = value as? NSNumber {
            // Parsed JSON numbers: the objCType says which kind ("c" is a Boolean).
            switch String(cString: number.objCType) {
            case "c", "B": out.append(contentsOf: (number.boolValue ? "true" : "false").utf8)
            case "d", "f": try writeDouble(number.doubleValue, into: &out)
            case "Q", "L", "I", "S", "C": out.append(contentsOf: String(number.uint64Value).utf8)
            default: out.append(contentsOf: String(number.int64Value).utf8)
            }
        } else if value is NSNull {
            out.append(contentsOf: "null".utf8)
        } else if let string = value as? String {
            writeString(string, into: &out)
        } else if let object = value as? [String: Any] {
            try writeObject(object, into: &out)
        } else if let array = value as? [Any] {
            try writeArray(array, into: &out)
        } else {
            throw Unencodable(description: "\(type) is not a JSON value")
        }
    }

    private static func writeObject(_ object: [String: Any], into out: inout [UInt8]) throws {
        out.append(UInt8(ascii: "{"))
        var first = true
        for key in object.keys.sorted(by: { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }) {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writeString(key, into: &out)
            out.append(UInt8(ascii: ":"))
            try write(object[key]!, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static func writeArray(_ array: [Any], into out: inout [UInt8]) throws {
        out.append(UInt8(ascii: "["))
        for (i, element) in array.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            try write(element, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func writeDouble(_ x: Double, into out: inout [UInt8]) throws {
        guard x.isFinite else { throw Unencodable(description: "\(x) is not a JSON number") }
        if x == x.rounded(), abs(x) < 1e15 {
            out.append(contentsOf: String(Int64(x)).utf8)
        } else {
            out.append(contentsOf: "\(x)".utf8)  // shortest round-trip form, e.g. 0.1 or 1e-07
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0x0A: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20: out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
