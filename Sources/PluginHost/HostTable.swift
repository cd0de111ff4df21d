import CProverABI
import Devnet
import Foundation
import ProverCore
import ProverService
import Synchronization

/// What a plugin call carries across the C boundary as its `prover_call *` handle: the chain
/// source, the task's cancellation token and where log lines go.
final class PluginCall {
    let pluginName: String
    let chain: any ChainSource
    let cancellation: CancellationToken?
    let log: PluginHost.LogHandler?

    init(pluginName: String, chain: any ChainSource, cancellation: CancellationToken?, log: PluginHost.LogHandler?) {
        self.pluginName = pluginName
        self.chain = chain
        self.cancellation = cancellation
        self.log = log
    }

    /// Runs `body` with this object as an opaque handle (valid only inside `body`).
    func withHandle<R>(_ body: (OpaquePointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(self) {
            try body(OpaquePointer(Unmanaged.passUnretained(self).toOpaque()))
        }
    }

    static func from(_ handle: OpaquePointer?) -> PluginCall? {
        guard let handle else { return nil }
        return Unmanaged<PluginCall>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }
}

/// The text of a NUL-terminated message buffer.
func messageText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Writes a NUL-terminated, truncated message into a caller's buffer.
func writeMessage(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) {
    guard let buffer, capacity > 0 else { return }
    var utf8 = Array(text.utf8.prefix(capacity - 1))
    utf8.append(0)
    utf8.withUnsafeBytes { raw in
        UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
    }
}

/// The host's function table (`prover_host_api_v1`), static for the life of the process.
enum HostTable {
    nonisolated(unsafe) static let pointer: UnsafePointer<prover_host_api_v1> = {
        let table = UnsafeMutablePointer<prover_host_api_v1>.allocate(capacity: 1)
        table.initialize(to: prover_host_api_v1(
            struct_size: UInt32(MemoryLayout<prover_host_api_v1>.size),
            abi_major: PROVER_ABI_MAJOR,
            abi_minor: PROVER_ABI_MINOR,
            reserved: 0,
            log: { handle, level, message in
                guard let call = PluginCall.from(handle), let message else { return }
                call.log?(PluginHost.LogRecord(plugin: call.pluginName, level: Int(level), message: String(cString: message)))
            },
            fetch: { handle, method, params, paramsSize, out, message, capacity in
                guard let call = PluginCall.from(handle), let method, let out else {
                    writeMessage("fetch: missing call handle, method or output", to: message, capacity: capacity)
                    return Int32(PROVER_INVALID_INPUT)
                }
                let bytes = paramsSize == 0 || params == nil ? [] : Array(UnsafeBufferPointer(start: params, count: paramsSize))
                do throws(ChainError) {
                    let result = try call.chain.fetch(method: String(cString: method), params: bytes)
                    let buffer = malloc(max(result.count, 1))!.assumingMemoryBound(to: UInt8.self)
                    result.withUnsafeBufferPointer { buffer.update(from: $0.baseAddress!, count: result.count) }
                    out.pointee = prover_bytes(data: buffer, size: result.count)
                    return Int32(PROVER_OK)
                } catch {
                    writeMessage(error.description, to: message, capacity: capacity)
                    switch error.kind {
                    case .notFound, .invalidRequest: return Int32(PROVER_INVALID_INPUT)
                    case .unavailable: return Int32(PROVER_TRANSIENT)
                    }
                }
            },
            free_buffer: { data in free(data) },
            is_cancelled: { handle in
                (PluginCall.from(handle)?.cancellation?.isCancelled ?? false) ? 1 : 0
            },
            fr_add: { a, b, out in binary(a, b, out) { $0 + $1 } },
            fr_sub: { a, b, out in binary(a, b, out) { $0 - $1 } },
            fr_mul: { a, b, out in binary(a, b, out) { $0 * $1 } },
            fr_inverse: { a, out in
                guard let x = readFr(a), let out, let inverse = x.inverse else { return Int32(PROVER_INVALID_INPUT) }
                writeFr(inverse, out)
                return Int32(PROVER_OK)
            },
            poseidon_hash: { inputs, count, out in
                guard let inputs, let out, (1...16).contains(count) else { return Int32(PROVER_INVALID_INPUT) }
                var values: [Fr] = []
                for i in 0..<count {
                    guard let x = readFr(inputs + 32 * i) else { return Int32(PROVER_INVALID_INPUT) }
                    values.append(x)
                }
                guard let digest = try? Poseidon.hash(values) else { return Int32(PROVER_INVALID_INPUT) }
                writeFr(digest, out)
                return Int32(PROVER_OK)
            },
            poseidon_permute_trace: { width, stateIn, statesOut, outSize in
                guard let stateIn, let statesOut, let p = try? PoseidonParameters.circom(width: Int(width)) else {
                    return Int32(PROVER_INVALID_INPUT)
                }
                let t = p.width
                let rounds = p.fullRounds + p.partialRounds
                guard outSize >= (rounds + 1) * t * 32 else { return Int32(PROVER_INVALID_INPUT) }
                var state: [Fr] = []
                for i in 0..<t {
                    guard let x = readFr(stateIn + 32 * i) else { return Int32(PROVER_INVALID_INPUT) }
                    state.append(x)
                }
                PoseidonTrace.run(state: &state, parameters: p) { round, s in
                    for i in 0..<t { writeFr(s[i], statesOut + 32 * (round * t + i)) }
                }
                return Int32(PROVER_OK)
            },
            poseidon_parameters: { width, partialRounds, roundConstants, mds in
                guard let tables = PoseidonTables.tables(width: Int(width)) else { return Int32(PROVER_INVALID_INPUT) }
                partialRounds?.pointee = UInt32(tables.partialRounds)
                roundConstants?.pointee = UnsafePointer(tables.roundConstants)
                mds?.pointee = UnsafePointer(tables.mds)
                return Int32(PROVER_OK)
            }
        ))
        return UnsafePointer(table)
    }()
}

@inline(__always)
private func readFr(_ p: UnsafePointer<UInt8>?) -> Fr? {
    guard let p else { return nil }
    return Fr(littleEndian: UnsafeRawPointer(p))
}

extension Fr {
    /// A canonical 32-byte little-endian value read in place (nil if ≥ r); no allocation.
    @inline(__always)
    init?(littleEndian p: UnsafeRawPointer) {
        self.init(canonicalLimbs: (
            UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)),
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 24, as: UInt64.self))))
    }
}

@inline(__always)
private func writeFr(_ x: Fr, _ out: UnsafeMutablePointer<UInt8>) {
    x.writeLittleEndianBytes(to: UnsafeMutableRawBufferPointer(start: out, count: 32))
}

@inline(__always)
private func binary(
    _ a: UnsafePointer<UInt8>?, _ b: UnsafePointer<UInt8>?, _ out: UnsafeMutablePointer<UInt8>?, _ op: (Fr, Fr) -> Fr
) -> prover_status {
    guard let x = readFr(a), let y = readFr(b), let out else { return Int32(PROVER_INVALID_INPUT) }
    writeFr(op(x, y), out)
    return Int32(PROVER_OK)
}

/// The Poseidon permutation reporting the state after every round (for plugins' traces).
enum PoseidonTrace {
    static func run(state: inout [Fr], parameters p: PoseidonParameters, visit: (Int, [Fr]) -> Void) {
        let t = p.width
        let half = p.fullRounds / 2
        let rounds = p.fullRounds + p.partialRounds
        visit(0, state)
        for round in 0..<rounds {
            for i in 0..<t { state[i] = state[i] + p.roundConstants[round * t + i] }
            if round < half || round >= half + p.partialRounds {
                for i in 0..<t { state[i] = state[i].power(5) }
            } else {
                state[0] = state[0].power(5)
            }
            state = (0..<t).map { i in (0..<t).reduce(Fr.zero) { $0 + p.mds[i * t + $1] * state[$1] } }
            visit(round + 1, state)
        }
    }
}

/// circomlib's Poseidon constants as canonical little-endian bytes, built once per width.
enum PoseidonTables {
    struct Table: @unchecked Sendable {
        let partialRounds: Int
        let roundConstants: UnsafeMutablePointer<UInt8>
        let mds: UnsafeMutablePointer<UInt8>
    }

    private static let cache = Mutex<[Int: Table]>([:])

    static func tables(width: Int) -> Table? {
        guard let p = try? PoseidonParameters.circom(width: width) else { return nil }
        return cache.withLock { cache in
            if let table = cache[width] { return table }
            func bytes(_ values: UnsafeBufferPointer<Fr>) -> UnsafeMutablePointer<UInt8> {
                let out = UnsafeMutablePointer<UInt8>.allocate(capacity: values.count * 32)
                for (i, v) in values.enumerated() { writeFr(v, out + 32 * i) }
                return out
            }
            let table = Table(partialRounds: p.partialRounds, roundConstants: bytes(p.roundConstants), mds: bytes(p.mds))
            cache[width] = table
            return table
        }
    }
}
