/// Errors from the BLAKE3 API. A struct over a private code so that new cases
/// can be added without breaking clients; compare against the static members.
public struct Blake3Error: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Int, Sendable {
        case invalidKeyLength = 1
        case invalidHexLength = 2
        case invalidHexCharacter = 3
        case invalidDigestLength = 4
        case invalidBufferLength = 5
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// A key was not exactly 32 bytes.
    public static let invalidKeyLength = Blake3Error(.invalidKeyLength)
    /// A hex string had an odd number of digits (or the wrong length for a digest).
    public static let invalidHexLength = Blake3Error(.invalidHexLength)
    /// A hex string contained a character outside 0-9, a-f, A-F.
    public static let invalidHexCharacter = Blake3Error(.invalidHexCharacter)
    /// Bytes for a digest were not exactly 32 bytes.
    public static let invalidDigestLength = Blake3Error(.invalidDigestLength)
    /// A batched input/output buffer had a length that does not fit the operation.
    public static let invalidBufferLength = Blake3Error(.invalidBufferLength)

    /// Stable numeric code of this error (never reused).
    public var errorCode: Int { code.rawValue }

    public var description: String {
        switch code {
        case .invalidKeyLength: "BLAKE3 key must be exactly 32 bytes"
        case .invalidHexLength: "hex string has an odd or wrong number of digits"
        case .invalidHexCharacter: "hex string contains a non-hex character"
        case .invalidDigestLength: "BLAKE3 digest must be exactly 32 bytes"
        case .invalidBufferLength: "buffer length does not fit the batched BLAKE3 operation"
        }
    }
}
