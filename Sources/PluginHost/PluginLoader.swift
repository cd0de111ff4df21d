import CProverABI
import Foundation
import ProverCore
import Synchronization

/// dlopen, entry symbol, descriptor checks, describe().
enum PluginLoader {
    /// The v1.0 minimum descriptor size (up to and including free_buffer).
    static let minimumDescriptorSize = MemoryLayout<prover_plugin_v1>.offset(of: \prover_plugin_v1.free_buffer)!
        + MemoryLayout<UnsafeRawPointer>.size

    static func load(path: String, call: PluginCall) throws(PluginLoadError) -> LoadedPlugin {
        guard FileManager.default.fileExists(atPath: path) else { throw PluginLoadError(.notFound, path, "no such file") }
        // Never dlclose: a library with Swift code cannot be unloaded safely, so a refused
        // plugin stays mapped too (its code is never called again).
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw PluginLoadError(.openFailed, path, "dlopen failed: \(reason)")
        }
        guard let symbol = dlsym(handle, PROVER_PLUGIN_ENTRY_V1) else {
            if let other = (2...9).first(where: { dlsym(handle, "prover_plugin_entry_v\($0)") != nil }) {
                throw PluginLoadError(
                    .abiMajorMismatch, path,
                    "plugin exports only prover_plugin_entry_v\(other) (ABI major \(other)), host speaks ABI \(ABIVersion.host)")
            }
            throw PluginLoadError(.missingEntry, path, "no \(PROVER_PLUGIN_ENTRY_V1) symbol (not a prover plugin, or built for another ABI); host ABI \(ABIVersion.host)")
        }
        guard let descriptor = callEntry(handle: handle, symbol: symbol) else {
            throw PluginLoadError(.refused, path, "the plugin refused to load (its entry returned NULL) for host ABI \(ABIVersion.host)")
        }
        return try check(descriptor, path: path, call: call)
    }

    /// Entry results by library handle: the ABI promises a plugin one call of its entry, from
    /// one thread, however many `PluginHost`s (or paths to the same file) load it.
    private static let entryResults = Mutex<[Int: Int]>([:])

    private static func callEntry(handle: UnsafeMutableRawPointer, symbol: UnsafeMutableRawPointer) -> UnsafePointer<prover_plugin_v1>? {
        let address = entryResults.withLock { results in
            if let known = results[Int(bitPattern: handle)] { return known }
            let entry = unsafeBitCast(symbol, to: prover_plugin_entry_v1_fn.self)
            let result = Int(bitPattern: entry(PROVER_ABI_MAJOR, PROVER_ABI_MINOR, HostTable.pointer))
            results[Int(bitPattern: handle)] = result
            return result
        }
        return UnsafePointer(bitPattern: address)
    }

    private static func check(_ d: UnsafePointer<prover_plugin_v1>, path: String, call: PluginCall) throws(PluginLoadError) -> LoadedPlugin {
        // The header (abi_major, abi_minor, struct_size) is fixed for all of major 1.
        let header = UnsafeRawPointer(d)
        let major = header.load(as: UInt32.self)
        let minor = header.load(fromByteOffset: 4, as: UInt32.self)
        let size = Int(header.load(fromByteOffset: 8, as: UInt32.self))
        let pluginVersion = ABIVersion(major: major, minor: minor)
        guard major == PROVER_ABI_MAJOR else {
            throw PluginLoadError(.abiMajorMismatch, path, "plugin ABI \(pluginVersion), host ABI \(ABIVersion.host): major versions differ")
        }
        guard size >= minimumDescriptorSize else {
            throw PluginLoadError(
                .descriptorTooSmall, path,
                "descriptor struct_size \(size) < \(minimumDescriptorSize) required by ABI 1.0 (plugin ABI \(pluginVersion), host ABI \(ABIVersion.host))")
        }
        // Copy only what the plugin's struct_size covers: optional fields past it stay zero (NULL).
        var descriptor = prover_plugin_v1()
        withUnsafeMutableBytes(of: &descriptor) { out in
            out.copyMemory(from: UnsafeRawBufferPointer(start: header, count: min(size, out.count)))
        }
        try checkMagic(descriptor.magic, path: path, plugin: pluginVersion)

        guard let namePointer = descriptor.name else { throw missing("name", path) }
        guard let versionPointer = descriptor.version else { throw missing("version", path) }
        guard let describe = descriptor.describe else { throw missing("describe", path) }
        guard let canonicalize = descriptor.canonicalize else { throw missing("canonicalize", path) }
        guard let dependencies = descriptor.dependencies else { throw missing("dependencies", path) }
        guard let buildStatement = descriptor.build_statement else { throw missing("build_statement", path) }
        guard let freeBuffer = descriptor.free_buffer else { throw missing("free_buffer", path) }
        let name = String(cString: namePointer)
        let version = String(cString: versionPointer)

        // describe()
        var out = prover_bytes(data: nil, size: 0)
        var message = [CChar](repeating: 0, count: 1024)
        let status = call.withHandle { h in describe(h, &out, &message, message.count) }
        let json: [UInt8]
        if let data = out.data {
            json = Array(UnsafeBufferPointer(start: data, count: out.size))
            freeBuffer(data)
        } else {
            json = []
        }
        guard status == PROVER_OK else {
            throw PluginLoadError(.badDescription, path, "describe() failed with status \(status): \(messageText(message))")
        }
        let parsed: Description
        do {
            parsed = try JSONDecoder().decode(Description.self, from: Data(json))
        } catch {
            throw PluginLoadError(.badDescription, path, "describe() returned invalid JSON: \(error)")
        }
        guard !parsed.proof_types.isEmpty else { throw PluginLoadError(.badDescription, path, "describe() lists no proof types") }
        var seen: Set<String> = []
        var types: [PluginProofType] = []
        for t in parsed.proof_types {
            guard !t.name.isEmpty, t.name.utf8.count <= 128, !t.name.contains(where: { $0.isWhitespace }) else {
                throw PluginLoadError(.badDescription, path, "invalid proof type name \"\(t.name)\"")
            }
            guard seen.insert(t.name).inserted else {
                throw PluginLoadError(.duplicateProofType, path, "describe() lists proof type \(t.name) twice")
            }
            types.append(PluginProofType(
                name: t.name, description: t.description ?? "", contextSchema: t.context_schema?.compactJSON,
                publicInputs: t.public_inputs ?? []))
        }
        return LoadedPlugin(
            path: path, name: name, version: version, abiVersion: pluginVersion, descriptorSize: size,
            descriptionJSON: String(decoding: json, as: UTF8.self), summary: parsed.description ?? "", proofTypes: types,
            functions: .init(
                canonicalize: canonicalize, dependencies: dependencies, buildStatement: buildStatement, freeBuffer: freeBuffer,
                buildAir: descriptor.build_air))
    }

    private static func missing(_ field: String, _ path: String) -> PluginLoadError {
        PluginLoadError(.missingFunction, path, "required descriptor field \(field) is NULL")
    }

    private static func checkMagic(_ m: prover_build_magic_v1, path: String, plugin: ABIVersion) throws(PluginLoadError) {
        let host = prover_build_magic_v1_current()
        func bytes<T>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }
        func text(_ b: [UInt8]) -> String { String(decoding: b.prefix { $0 != 0 }, as: UTF8.self) }
        let versions = "plugin ABI \(plugin), host ABI \(ABIVersion.host)"
        guard bytes(m.tag) == bytes(host.tag) else {
            throw PluginLoadError(.badMagic, path, "magic tag \"\(text(bytes(m.tag)))\", expected \"\(PROVER_MAGIC_TAG)\" (\(versions))")
        }
        guard m.abi_major == host.abi_major else {
            throw PluginLoadError(.badMagic, path, "magic says ABI \(m.abi_major).\(m.abi_minor) but the descriptor says \(plugin); host ABI \(ABIVersion.host)")
        }
        guard bytes(m.field_modulus) == bytes(host.field_modulus) else {
            let theirs = bytes(m.field_modulus).reversed().map { String(format: "%02x", $0) }.joined()
            throw PluginLoadError(.badMagic, path, "field modulus 0x\(theirs), host uses the BN254 scalar field r (\(versions))")
        }
        guard bytes(m.air_magic) == bytes(host.air_magic), m.air_version == host.air_version else {
            throw PluginLoadError(
                .badMagic, path,
                "AIR encoding \"\(text(bytes(m.air_magic)))\" v\(m.air_version), host reads \"\(PROVER_AIR_MAGIC)\" v\(host.air_version) (\(versions))")
        }
        guard bytes(m.proof_magic) == bytes(host.proof_magic), m.proof_version == host.proof_version else {
            throw PluginLoadError(
                .badMagic, path,
                "proof encoding \"\(text(bytes(m.proof_magic)))\" v\(m.proof_version), host writes \"\(PROVER_PROOF_MAGIC)\" v\(host.proof_version) (\(versions))")
        }
    }

    // describe() JSON.
    struct Description: Decodable {
        let name: String?
        let version: String?
        let description: String?
        let proof_types: [ProofType]

        struct ProofType: Decodable {
            let name: String
            let description: String?
            let context_schema: JSONValue?
            let public_inputs: [String]?
        }
    }
}

/// Any JSON value (to keep a plugin's schema as it wrote it).
indirect enum JSONValue: Decodable, Sendable, Hashable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    var compactJSON: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): Self.quote(s)
        case .array(let a): "[" + a.map(\.compactJSON).joined(separator: ",") + "]"
        case .object(let o): "{" + o.keys.sorted().map { Self.quote($0) + ":" + o[$0]!.compactJSON }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
