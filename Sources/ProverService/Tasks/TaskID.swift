/// A task's identity: a 128-bit FNV-1a hash of (proof type, canonical context, backend),
/// written as 32 lowercase hex digits. Equal inputs always give the same id.
public struct TaskID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The 32-hex-digit form.
    public let hex: String

    /// Parses a 32-hex-digit id; returns nil for anything else.
    public init?(_ hex: String) {
        guard hex.utf8.count == 32, hex.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
            return nil
        }
        self.hex = hex
    }

    /// Derives the id of a task. Each field is length-prefixed, so no two different
    /// triples hash the same byte stream.
    public init(proofType: String, canonicalContext: [UInt8], backend: String) {
        var hasher = FNV1a128()
        hasher.field(Array(proofType.utf8))
        hasher.field(canonicalContext)
        hasher.field(Array(backend.utf8))
        self.hex = hasher.hexDigest
    }

    public var description: String { hex }
    public static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let string = try decoder.singleValueContainer().decode(String.self)
        guard let id = TaskID(string) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a task id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// FNV-1a with the 128-bit parameters (offset basis and prime from the FNV specification).
struct FNV1a128 {
    private static let prime: UInt128 = (1 << 88) | 0x13B
    private var state: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d

    mutating func byte(_ b: UInt8) {
        state ^= UInt128(b)
        state = state &* Self.prime
    }

    mutating func bytes(_ bs: [UInt8]) { for b in bs { byte(b) } }

    mutating func field(_ bs: [UInt8]) {
        var length = UInt64(bs.count)
        for _ in 0..<8 {
            byte(UInt8(truncatingIfNeeded: length))
            length >>= 8
        }
        bytes(bs)
    }

    var hexDigest: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        var v = state
        for i in stride(from: 31, through: 0, by: -1) {
            out[i] = digits[Int(v & 0xF)]
            v >>= 4
        }
        return String(decoding: out, as: UTF8.self)
    }
}
