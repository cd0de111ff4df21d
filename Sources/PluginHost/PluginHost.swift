import CProverABI
import Devnet
import Foundation
import ProverCore
import ProverService
import Synchronization

/// Loads proof-type plugins and calls them: the bridge between the C ABI and ProverService.
///
/// ```swift
/// let host = PluginHost(chain: Devnet(seed: 7))
/// try host.load(path: ".build/debug/libEvmEe.so")            // or loadDirectory(...)
/// let context = try host.canonicalize(proofType: "evm-ee-stf", context: Array(#"{"start":1,"end":2}"#.utf8))
/// let statement = try host.statement(proofType: "evm-ee-stf", context: context, dependencies: [])
/// // statement.program / .trace / .publicInputs satisfy AirEvaluator.checkTrace.
/// ```
///
/// Thread-safe: loading is serialized; calls into plugins run on the caller's thread and may
/// run concurrently (the ABI requires plugins to be reentrant).
public final class PluginHost: Sendable {
    /// A line a plugin logged through the host table.
    public struct LogRecord: Sendable, Hashable {
        public let plugin: String
        public let level: Int
        public let message: String
    }

    public typealias LogHandler = @Sendable (LogRecord) -> Void

    public let chain: any ChainSource
    let logHandler: LogHandler?
    private let state = Mutex<(plugins: [LoadedPlugin], byType: [String: LoadedPlugin])>(([], [:]))

    public init(chain: any ChainSource, log: LogHandler? = nil) {
        self.chain = chain
        self.logHandler = log
    }

    /// The loaded plugins, in load order.
    public var plugins: [LoadedPlugin] { state.withLock { $0.plugins } }

    /// Every proof type served, sorted.
    public var proofTypes: [String] { state.withLock { $0.byType.keys.sorted() } }

    /// The plugin serving a proof type.
    public func plugin(for proofType: String) -> LoadedPlugin? { state.withLock { $0.byType[proofType] } }

    /// Loads one plugin by path and registers its proof types. Refuses (and registers nothing)
    /// if a check fails or one of its proof types is already served.
    @discardableResult
    public func load(path: String) throws(PluginLoadError) -> LoadedPlugin {
        let resolved = URL(fileURLWithPath: path).standardizedFileURL.path
        let call = PluginCall(pluginName: URL(fileURLWithPath: resolved).lastPathComponent, chain: chain, cancellation: nil, log: logHandler)
        let plugin = try PluginLoader.load(path: resolved, call: call)
        let result: Result<LoadedPlugin, PluginLoadError> = state.withLock { s in
            for type in plugin.proofTypes {
                if let other = s.byType[type.name] {
                    return .failure(PluginLoadError(
                        .duplicateProofType, resolved, "proof type \(type.name) is already served by \(other.name) (\(other.path))"))
                }
            }
            s.plugins.append(plugin)
            for type in plugin.proofTypes { s.byType[type.name] = plugin }
            return .success(plugin)
        }
        return try result.get()
    }

    /// What `loadDirectory` found.
    public struct DirectoryReport: Sendable {
        public var loaded: [LoadedPlugin] = []
        /// Candidates that were refused, with the reason.
        public var refused: [PluginLoadError] = []
    }

    /// Loads every plugin candidate in `directory`: `.so` files whose bytes mention an entry
    /// symbol `prover_plugin_entry_v…` (other shared libraries are not opened, so a scan never
    /// runs a stranger's constructors). Refusals are reported, not thrown.
    public func loadDirectory(_ directory: String) throws(PluginLoadError) -> DirectoryReport {
        var report = DirectoryReport()
        for path in try Self.candidates(in: directory) {
            do throws(PluginLoadError) {
                report.loaded.append(try load(path: path))
            } catch {
                report.refused.append(error)
            }
        }
        return report
    }

    /// Plugin candidates in a directory, sorted by name.
    public static func candidates(in directory: String) throws(PluginLoadError) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw PluginLoadError(.notFound, directory, "cannot list the directory: \(error.localizedDescription)")
        }
        let marker = Array("prover_plugin_entry_v".utf8)
        return names.filter { $0.hasSuffix(".so") }.sorted().map { directory + "/" + $0 }.filter { path in
            guard let data = FileManager.default.contents(atPath: path) else { return false }
            return data.withUnsafeBytes { raw in
                raw.withMemoryRebound(to: UInt8.self) { bytes in
                    guard bytes.count >= marker.count else { return false }
                    var i = 0
                    while i <= bytes.count - marker.count {
                        if bytes[i] == marker[0], bytes[i..<(i + marker.count)].elementsEqual(marker) { return true }
                        i += 1
                    }
                    return false
                }
            }
        }
    }

    /// The directory of the running executable (where SwiftPM puts the plugins it builds).
    public static var executableDirectory: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().path
    }

    // MARK: - Calls

    func require(_ proofType: String) throws(PluginCallError) -> LoadedPlugin {
        guard let plugin = plugin(for: proofType) else {
            throw PluginCallError(.unknownProofType, "no loaded plugin serves proof type '\(proofType)' (loaded: \(proofTypes.joined(separator: ", ")))")
        }
        return plugin
    }

    func makeCall(_ plugin: LoadedPlugin, cancellation: CancellationToken?) -> PluginCall {
        PluginCall(pluginName: plugin.name, chain: chain, cancellation: cancellation, log: logHandler)
    }

    /// The canonical form of a context (the plugin's `canonicalize`).
    public func canonicalize(proofType: String, context: [UInt8]) throws(PluginCallError) -> [UInt8] {
        let plugin = try require(proofType)
        return try bytesCall(plugin, "canonicalize", proofType, context) { h, type, ctx, len, out, msg, cap in
            plugin.functions.canonicalize(h, type, ctx, len, out, msg, cap)
        }
    }

    /// A dependency a plugin declared: a proof type and its (not yet canonical) JSON context.
    public struct Dependency: Sendable, Hashable {
        public let proofType: String
        public let context: [UInt8]
    }

    /// The dependencies of a canonical context (the plugin's `dependencies`).
    public func dependencies(proofType: String, context: [UInt8]) throws(PluginCallError) -> [Dependency] {
        let plugin = try require(proofType)
        let json = try bytesCall(plugin, "dependencies", proofType, context) { h, type, ctx, len, out, msg, cap in
            plugin.functions.dependencies(h, type, ctx, len, out, msg, cap)
        }
        guard let value = try? JSONSerialization.jsonObject(with: Data(json)), let list = value as? [Any] else {
            throw PluginCallError(.badOutput, "\(plugin.name).dependencies(\(proofType)) did not return a JSON array")
        }
        var out: [Dependency] = []
        for item in list {
            guard let object = item as? [String: Any], let type = object["proof_type"] as? String, let context = object["context"],
                JSONSerialization.isValidJSONObject([context]),
                let data = try? JSONSerialization.data(withJSONObject: context, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
            else {
                throw PluginCallError(.badOutput, "\(plugin.name).dependencies(\(proofType)): each item needs \"proof_type\" and \"context\"")
            }
            out.append(Dependency(proofType: type, context: Array(data)))
        }
        return out
    }

    /// The AIR of a canonical context as the plugin defines it (`build_air`), decoded and
    /// validated: what a proof of (proofType, context) is verified against. Nil if the plugin
    /// does not implement the optional `build_air`.
    public func air(proofType: String, context: [UInt8]) throws(PluginCallError) -> (encoding: [UInt8], program: AirProgram)? {
        let plugin = try require(proofType)
        guard let buildAir = plugin.functions.buildAir else { return nil }
        let bytes = try bytesCall(plugin, "build_air", proofType, context) { h, type, ctx, len, out, msg, cap in
            buildAir(h, type, ctx, len, out, msg, cap)
        }
        do {
            return (bytes, try AirProgram(decoding: bytes))
        } catch {
            throw PluginCallError(.malformedAir, "\(plugin.name).build_air(\(proofType)): the AIR does not decode: \(error)")
        }
    }

    private func bytesCall(
        _ plugin: LoadedPlugin, _ function: String, _ proofType: String, _ context: [UInt8],
        _ body: (OpaquePointer, UnsafePointer<CChar>, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<prover_bytes>, UnsafeMutablePointer<CChar>, Int) -> prover_status
    ) throws(PluginCallError) -> [UInt8] {
        var out = prover_bytes(data: nil, size: 0)
        var message = [CChar](repeating: 0, count: 1024)
        let status = makeCall(plugin, cancellation: nil).withHandle { h in
            proofType.withCString { type in
                context.withUnsafeBufferPointer { ctx in
                    message.withUnsafeMutableBufferPointer { msg in
                        body(h, type, ctx.baseAddress, ctx.count, &out, msg.baseAddress!, msg.count)
                    }
                }
            }
        }
        let bytes = plugin.take(out)
        try Self.check(status, message, plugin: plugin, function: "\(function)(\(proofType))")
        return bytes
    }

    static func check(_ status: prover_status, _ message: [CChar], plugin: LoadedPlugin, function: String) throws(PluginCallError) {
        if status == PROVER_OK { return }
        let text = "\(plugin.name).\(function): \(messageText(message))"
        switch Int(status) {
        case Int(PROVER_INVALID_INPUT): throw PluginCallError(.invalidInput, text)
        case Int(PROVER_TRANSIENT): throw PluginCallError(.transient, text)
        case Int(PROVER_PERMANENT): throw PluginCallError(.permanent, text)
        default: throw PluginCallError(.permanent, "\(text) (unknown status \(status))")
        }
    }
}
