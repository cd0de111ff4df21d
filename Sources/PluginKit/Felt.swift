import CProverABI

/// A field element of the BN254 scalar field, as the ABI carries it: canonical (< r),
/// 32 bytes little-endian. Arithmetic goes through the host table (`PluginEnvironment.host`),
/// so a plugin needs no field code of its own.
public struct Felt: Hashable, Sendable, CustomStringConvertible {
    /// Little-endian 64-bit limbs of the canonical value.
    public var limbs: (UInt64, UInt64, UInt64, UInt64)

    public static let zero = Felt(0)
    public static let one = Felt(1)

    public init(_ value: UInt64) { limbs = (value, 0, 0, 0) }

    /// The BN254 scalar modulus r.
    static let modulus: (UInt64, UInt64, UInt64, UInt64) = (
        0x43e1_f593_f000_0001, 0x2833_e848_79b9_7091, 0xb850_45b6_8181_585d, 0x3064_4e72_e131_a029
    )

    /// From 32 little-endian bytes in memory; nil unless canonical. No allocation.
    public init?(littleEndian p: UnsafeRawPointer) {
        limbs = (
            UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self)))
        guard Felt.isCanonical(limbs) else { return nil }
    }

    /// From 32 little-endian bytes; nil unless canonical.
    public init?(littleEndian bytes: some Collection<UInt8>) {
        guard bytes.count == 32 else { return nil }
        var l: [UInt64] = [0, 0, 0, 0]
        for (i, b) in bytes.enumerated() { l[i / 8] |= UInt64(b) << UInt64(8 * (i % 8)) }
        limbs = (l[0], l[1], l[2], l[3])
        guard Felt.isCanonical(limbs) else { return nil }
    }

    /// From `0x` + up to 64 hex digits (big-endian), as the chain JSON writes values.
    public init?(hex: String) {
        var digits = Substring(hex)
        guard digits.hasPrefix("0x") || digits.hasPrefix("0X") else { return nil }
        digits = digits.dropFirst(2)
        guard !digits.isEmpty, digits.count <= 64 else { return nil }
        var l: [UInt64] = [0, 0, 0, 0]
        for (i, c) in digits.reversed().enumerated() {
            guard let v = c.hexDigitValue else { return nil }
            l[i / 16] |= UInt64(v) << UInt64(4 * (i % 16))
        }
        limbs = (l[0], l[1], l[2], l[3])
        guard Felt.isCanonical(limbs) else { return nil }
    }

    static func isCanonical(_ l: (UInt64, UInt64, UInt64, UInt64)) -> Bool {
        let a = [l.3, l.2, l.1, l.0], m = [modulus.3, modulus.2, modulus.1, modulus.0]
        for i in 0..<4 where a[i] != m[i] { return a[i] < m[i] }
        return false
    }

    /// The 32 little-endian bytes.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for limb in [limbs.0, limbs.1, limbs.2, limbs.3] {
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: limb >> UInt64(8 * k))) }
        }
        return out
    }

    /// `0x` + 64 lowercase hex digits, big-endian.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = Array("0x".utf8)
        for b in bytes.reversed() {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }
    public var isZero: Bool { limbs.0 | limbs.1 | limbs.2 | limbs.3 == 0 }

    /// The low 64 bits (for small values such as block numbers).
    public var low64: UInt64 { limbs.0 }

    public static func == (a: Felt, b: Felt) -> Bool {
        a.limbs.0 == b.limbs.0 && a.limbs.1 == b.limbs.1 && a.limbs.2 == b.limbs.2 && a.limbs.3 == b.limbs.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(limbs.0)
        hasher.combine(limbs.1)
        hasher.combine(limbs.2)
        hasher.combine(limbs.3)
    }

    // MARK: arithmetic through the host

    typealias Binary = @convention(c) (UnsafePointer<UInt8>?, UnsafePointer<UInt8>?, UnsafeMutablePointer<UInt8>?) -> prover_status

    @inline(__always)
    static func apply(_ f: Binary?, _ a: Felt, _ b: Felt) -> Felt {
        var a = a, b = b, out = Felt.zero
        let status = withUnsafeBytes(of: &a.limbs) { pa in
            withUnsafeBytes(of: &b.limbs) { pb in
                withUnsafeMutableBytes(of: &out.limbs) { po in
                    f!(pa.bindMemory(to: UInt8.self).baseAddress, pb.bindMemory(to: UInt8.self).baseAddress,
                       po.bindMemory(to: UInt8.self).baseAddress)
                }
            }
        }
        precondition(status == PROVER_OK, "host field operation failed on canonical inputs")
        return out
    }

    public static func + (a: Felt, b: Felt) -> Felt { apply(PluginEnvironment.host.pointee.fr_add, a, b) }
    public static func - (a: Felt, b: Felt) -> Felt { apply(PluginEnvironment.host.pointee.fr_sub, a, b) }
    public static func * (a: Felt, b: Felt) -> Felt { apply(PluginEnvironment.host.pointee.fr_mul, a, b) }
    public static prefix func - (a: Felt) -> Felt { Felt.zero - a }

    /// The multiplicative inverse; nil for zero.
    public var inverse: Felt? {
        var a = self, out = Felt.zero
        let status = withUnsafeBytes(of: &a.limbs) { pa in
            withUnsafeMutableBytes(of: &out.limbs) { po in
                PluginEnvironment.host.pointee.fr_inverse!(pa.bindMemory(to: UInt8.self).baseAddress, po.bindMemory(to: UInt8.self).baseAddress)
            }
        }
        return status == PROVER_OK ? out : nil
    }

    /// circomlib Poseidon of 1...16 elements (through the host).
    public static func poseidon(_ inputs: [Felt]) -> Felt {
        precondition((1...16).contains(inputs.count))
        let flat = inputs.flatMap(\.bytes)
        var out = [UInt8](repeating: 0, count: 32)
        let status = PluginEnvironment.host.pointee.poseidon_hash!(flat, inputs.count, &out)
        precondition(status == PROVER_OK)
        return Felt(littleEndian: out)!
    }
}
