extension Blake3 {
    /// A 32-byte BLAKE3 digest. Equatable and hashable by value; its
    /// `description` is lowercase hex.
    public struct Digest: Hashable, Sendable, CustomStringConvertible {
        /// The 32 digest bytes.
        public private(set) var storage: SIMD32<UInt8>

        /// A digest from exactly 32 bytes.
        /// - Throws: ``Blake3Error/invalidDigestLength`` otherwise.
        public init<Bytes: Collection<UInt8>>(bytes: Bytes) throws(Blake3Error) {
            guard bytes.count == 32 else { throw .invalidDigestLength }
            storage = SIMD32()
            for (i, b) in bytes.enumerated() { storage[i] = b }
        }

        /// A digest from 64 lowercase or uppercase hex digits.
        /// - Throws: ``Blake3Error/invalidHexLength`` or ``Blake3Error/invalidHexCharacter``.
        public init(hex: String) throws(Blake3Error) {
            let bytes = try Hex.decode(hex)
            guard bytes.count == 32 else { throw .invalidHexLength }
            try self.init(bytes: bytes)
        }

        init(storage: SIMD32<UInt8>) { self.storage = storage }

        /// The digest bytes as an array.
        public var bytes: [UInt8] { (0..<32).map { storage[$0] } }

        /// Lowercase hex, 64 characters.
        public var hex: String { Hex.encode(bytes) }

        public var description: String { hex }

        /// Calls `body` with the 32 digest bytes.
        public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            try Swift.withUnsafeBytes(of: storage, body)
        }
    }
}
