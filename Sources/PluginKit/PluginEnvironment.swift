import CProverABI
import Foundation

/// The host table the plugin was loaded with (set once by the entry point, before any call).
public enum PluginEnvironment {
    nonisolated(unsafe) static var hostPointer: UnsafePointer<prover_host_api_v1>?

    /// The host table. Traps if used before the entry point ran (e.g. in a unit test without a host).
    public static var host: UnsafePointer<prover_host_api_v1> {
        guard let hostPointer else { fatalError("PluginKit used before prover_plugin_entry_v1 was called") }
        return hostPointer
    }
}

/// Why a plugin call failed; becomes the call's status code and message.
public struct PluginFailure: Error, Sendable, CustomStringConvertible {
    public enum Status: Sendable { case invalidInput, transient, permanent }
    public let status: Status
    public let message: String

    public static func invalidInput(_ message: String) -> PluginFailure { PluginFailure(status: .invalidInput, message: message) }
    public static func transient(_ message: String) -> PluginFailure { PluginFailure(status: .transient, message: message) }
    public static func permanent(_ message: String) -> PluginFailure { PluginFailure(status: .permanent, message: message) }

    public var description: String { message }

    var code: prover_status {
        switch status {
        case .invalidInput: Int32(PROVER_INVALID_INPUT)
        case .transient: Int32(PROVER_TRANSIENT)
        case .permanent: Int32(PROVER_PERMANENT)
        }
    }
}

/// One call from the host: the way back to the host's log, chain source and cancellation flag.
/// Valid only during the call that received it.
public struct PluginCallContext {
    let handle: OpaquePointer?

    public enum LogLevel: Int32 { case debug = 0, info = 1, warning = 2, error = 3 }

    public func log(_ level: LogLevel, _ message: String) {
        message.withCString { PluginEnvironment.host.pointee.log?(handle, level.rawValue, $0) }
    }

    /// Whether the task was cancelled; long loops should poll it.
    public var isCancelled: Bool { PluginEnvironment.host.pointee.is_cancelled?(handle) ?? 0 != 0 }

    /// Throws a transient failure if the task was cancelled.
    public func checkCancellation() throws(PluginFailure) {
        if isCancelled { throw .transient("cancelled") }
    }

    /// Calls a chain method with JSON params; returns the JSON result. A block that does not
    /// exist is `invalidInput`, an unreachable source `transient`.
    public func fetch(_ method: String, _ params: [String: Int] = [:]) throws(PluginFailure) -> [UInt8] {
        let body: [UInt8]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            body = Array(try encoder.encode(params))
        } catch {
            throw .permanent("cannot encode params: \(error)")
        }
        var out = prover_bytes(data: nil, size: 0)
        var message = [CChar](repeating: 0, count: 512)
        let host = PluginEnvironment.host.pointee
        let status = body.withUnsafeBufferPointer { b in
            host.fetch!(handle, method, b.baseAddress, b.count, &out, &message, message.count)
        }
        defer { if let data = out.data { host.free_buffer?(data) } }
        let text = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch Int(status) {
        case Int(PROVER_OK):
            guard let data = out.data else { return [] }
            return Array(UnsafeBufferPointer(start: data, count: out.size))
        case Int(PROVER_INVALID_INPUT): throw .invalidInput(text)
        case Int(PROVER_TRANSIENT): throw .transient(text)
        default: throw .permanent(text)
        }
    }

    /// Fetches and decodes a chain method's JSON result.
    public func fetch<T: Decodable>(_ type: T.Type, _ method: String, _ params: [String: Int] = [:]) throws(PluginFailure) -> T {
        let bytes = try fetch(method, params)
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw .permanent("\(method) returned unexpected JSON: \(error)")
        }
    }
}

/// Helpers for JSON contexts made of integer fields.
public enum ContextJSON {
    /// Decodes a JSON object whose members are exactly `keys`, each an integer ≥ 0.
    public static func integers(_ bytes: [UInt8], keys: [String]) throws(PluginFailure) -> [String: Int] {
        let object: [String: Int]
        do {
            object = try JSONDecoder().decode([String: Int].self, from: Data(bytes))
        } catch {
            throw .invalidInput("context must be a JSON object with integer members \(keys.sorted())")
        }
        guard Set(object.keys) == Set(keys) else {
            throw .invalidInput("context must have exactly the members \(keys.sorted()), got \(object.keys.sorted())")
        }
        for (key, value) in object where value < 0 { throw .invalidInput("\"\(key)\" must not be negative") }
        return object
    }

    /// Canonical bytes of an integer object: sorted keys, no spaces.
    public static func canonical(_ object: [String: Int]) -> [UInt8] {
        Array(("{" + object.keys.sorted().map { "\"\($0)\":\(object[$0]!)" }.joined(separator: ",") + "}").utf8)
    }
}
