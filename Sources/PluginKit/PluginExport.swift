import CProverABI
import Foundation

/// Builds the C descriptor for a `ProverPlugin` and routes the ABI's calls to it.
public enum PluginExport {
    nonisolated(unsafe) static var plugin: (any ProverPlugin)?
    nonisolated(unsafe) static var descriptor: UnsafeMutablePointer<prover_plugin_v1>?

    /// The body of a plugin's `prover_plugin_entry_v1`. Returns the descriptor, or NULL (refusal)
    /// for a host of another ABI major or a host table too small for ABI 1.0.
    public static func entry(
        _ plugin: any ProverPlugin, hostABIMajor: UInt32, hostABIMinor: UInt32, host: UnsafePointer<prover_host_api_v1>?
    ) -> UnsafeRawPointer? {
        let needed = MemoryLayout<prover_host_api_v1>.offset(of: \prover_host_api_v1.poseidon_parameters)! + MemoryLayout<UnsafeRawPointer>.size
        guard hostABIMajor == PROVER_ABI_MAJOR, let host, Int(host.pointee.struct_size) >= needed else { return nil }
        if let descriptor { return UnsafeRawPointer(descriptor) }
        PluginEnvironment.hostPointer = host
        Self.plugin = plugin
        let d = UnsafeMutablePointer<prover_plugin_v1>.allocate(capacity: 1)
        d.initialize(to: prover_plugin_v1(
            abi_major: PROVER_ABI_MAJOR,
            abi_minor: PROVER_ABI_MINOR,
            struct_size: UInt32(MemoryLayout<prover_plugin_v1>.size),
            reserved: 0,
            magic: prover_build_magic_v1_current(),
            name: UnsafePointer(strdup(plugin.name)),
            version: UnsafePointer(strdup(plugin.version)),
            describe: { _, out, message, capacity in
                guard let out, let plugin = PluginExport.plugin else { return Int32(PROVER_PERMANENT) }
                out.pointee = PluginExport.allocate(Array(plugin.descriptionJSON.utf8))
                return Int32(PROVER_OK)
            },
            canonicalize: { call, type, context, size, out, message, capacity in
                PluginExport.run(message, capacity) { plugin throws(PluginFailure) in
                    let bytes = try plugin.canonicalize(
                        proofType: try PluginExport.proofTypeName(type, plugin), context: PluginExport.copy(context, size), call: PluginCallContext(handle: call))
                    out?.pointee = PluginExport.allocate(bytes)
                }
            },
            dependencies: { call, type, context, size, out, message, capacity in
                PluginExport.run(message, capacity) { plugin throws(PluginFailure) in
                    let deps = try plugin.dependencies(
                        proofType: try PluginExport.proofTypeName(type, plugin), context: PluginExport.copy(context, size), call: PluginCallContext(handle: call))
                    let items = deps.map { d in
                        "{\"proof_type\":\"\(d.proofType)\",\"context\":\(String(decoding: d.context, as: UTF8.self))}"
                    }
                    out?.pointee = PluginExport.allocate(Array(("[" + items.joined(separator: ",") + "]").utf8))
                }
            },
            build_statement: { call, type, context, size, deps, depCount, out, message, capacity in
                PluginExport.run(message, capacity) { plugin throws(PluginFailure) in
                    guard let out else { throw .permanent("no output statement") }
                    var inputs: [DependencyOutputs] = []
                    for i in 0..<depCount {
                        let d = deps![i]
                        var outputs: [Felt] = []
                        for k in 0..<d.public_output_count {
                            guard let v = Felt(littleEndian: UnsafeBufferPointer(start: d.public_outputs! + 32 * k, count: 32)) else {
                                throw .invalidInput("dependency \(i) output \(k) is not canonical")
                            }
                            outputs.append(v)
                        }
                        inputs.append(DependencyOutputs(
                            proofType: d.proof_type.map { String(cString: $0) } ?? "", context: PluginExport.copy(d.context, d.context_size),
                            publicOutputs: outputs))
                    }
                    let statement = try plugin.statement(
                        proofType: try PluginExport.proofTypeName(type, plugin), context: PluginExport.copy(context, size), dependencies: inputs,
                        call: PluginCallContext(handle: call))
                    out.pointee.air = PluginExport.allocate(statement.air.encode())
                    out.pointee.trace_width = UInt64(statement.trace.width)
                    out.pointee.trace_length = UInt64(statement.trace.length)
                    out.pointee.trace = PluginExport.allocate(statement.trace.bytes)
                    out.pointee.public_input_count = UInt64(statement.publicInputs.count)
                    out.pointee.public_inputs = PluginExport.allocate(statement.publicInputs.flatMap(\.bytes))
                }
            },
            free_buffer: { data in free(data) },
            build_air: { call, type, context, size, out, message, capacity in
                PluginExport.run(message, capacity) { plugin throws(PluginFailure) in
                    let air = try plugin.air(
                        proofType: try PluginExport.proofTypeName(type, plugin), context: PluginExport.copy(context, size),
                        call: PluginCallContext(handle: call))
                    out?.pointee = PluginExport.allocate(air.encode())
                }
            }
        ))
        descriptor = d
        return UnsafeRawPointer(d)
    }

    private static func run(
        _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ body: (any ProverPlugin) throws(PluginFailure) -> Void
    ) -> prover_status {
        guard let plugin else { return Int32(PROVER_PERMANENT) }
        do {
            try body(plugin)
            return Int32(PROVER_OK)
        } catch {
            write(error.message, message, capacity)
            return error.code
        }
    }

    private static func proofTypeName(_ type: UnsafePointer<CChar>?, _ plugin: any ProverPlugin) throws(PluginFailure) -> String {
        guard let type else { throw .invalidInput("no proof type") }
        let name = String(cString: type)
        guard plugin.proofTypes.contains(where: { $0.name == name }) else { throw .invalidInput("unknown proof type \(name)") }
        return name
    }

    private static func copy(_ p: UnsafePointer<UInt8>?, _ n: Int) -> [UInt8] {
        guard let p, n > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: p, count: n))
    }

    private static func allocate(_ bytes: [UInt8]) -> prover_bytes {
        let p = malloc(max(bytes.count, 1))!.assumingMemoryBound(to: UInt8.self)
        bytes.withUnsafeBufferPointer { if let base = $0.baseAddress { p.update(from: base, count: bytes.count) } }
        return prover_bytes(data: p, size: bytes.count)
    }

    private static func write(_ text: String, _ message: UnsafeMutablePointer<CChar>?, _ capacity: Int) {
        guard let message, capacity > 0 else { return }
        let utf8 = Array(text.utf8.prefix(capacity - 1))
        for (i, b) in utf8.enumerated() { message[i] = CChar(bitPattern: b) }
        message[utf8.count] = 0
    }
}
