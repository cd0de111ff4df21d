import CProverABI
import Foundation
import ProverCore

/// An ABI version, major.minor.
public struct ABIVersion: Hashable, Sendable, CustomStringConvertible {
    public let major: UInt32
    public let minor: UInt32
    public var description: String { "\(major).\(minor)" }

    public init(major: UInt32, minor: UInt32) {
        self.major = major
        self.minor = minor
    }

    /// The version of `prover_plugin.h` this host was built with.
    public static let host = ABIVersion(major: PROVER_ABI_MAJOR, minor: PROVER_ABI_MINOR)
}

/// One proof type a plugin serves, from its `describe()` JSON.
public struct PluginProofType: Sendable, Hashable {
    public let name: String
    public let description: String
    /// The JSON Schema of the context, as the plugin wrote it (compact JSON), if any.
    public let contextSchema: String?
    /// Names of the statement's public inputs, if the plugin lists them.
    public let publicInputs: [String]
}

/// A plugin that passed every load check. Its library stays loaded for the life of the
/// process (never `dlclose`d).
public final class LoadedPlugin: @unchecked Sendable {
    /// The file it was loaded from.
    public let path: String
    /// The descriptor's name and version.
    public let name: String
    public let version: String
    /// The ABI version the plugin was built with.
    public let abiVersion: ABIVersion
    /// The descriptor's `struct_size`.
    public let descriptorSize: Int
    /// The plugin's `describe()` output.
    public let descriptionJSON: String
    public let summary: String
    public let proofTypes: [PluginProofType]

    let functions: Functions

    struct Functions {
        let canonicalize: @convention(c) (
            OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<prover_bytes>?,
            UnsafeMutablePointer<CChar>?, Int
        ) -> prover_status
        let dependencies: @convention(c) (
            OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<prover_bytes>?,
            UnsafeMutablePointer<CChar>?, Int
        ) -> prover_status
        let buildStatement: @convention(c) (
            OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<UInt8>?, Int, UnsafePointer<prover_dependency_v1>?, Int,
            UnsafeMutablePointer<prover_statement_v1>?, UnsafeMutablePointer<CChar>?, Int
        ) -> prover_status
        let freeBuffer: @convention(c) (UnsafeMutableRawPointer?) -> Void
        /// Optional (ABI 1.0 optional field): the AIR of a context alone.
        let buildAir: (@convention(c) (
            OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<UInt8>?, Int, UnsafeMutablePointer<prover_bytes>?,
            UnsafeMutablePointer<CChar>?, Int
        ) -> prover_status)?
    }

    /// Whether the plugin defines its AIRs independently of its traces (`build_air`).
    public var definesAirs: Bool { functions.buildAir != nil }

    init(
        path: String, name: String, version: String, abiVersion: ABIVersion, descriptorSize: Int, descriptionJSON: String,
        summary: String, proofTypes: [PluginProofType], functions: Functions
    ) {
        self.path = path
        self.name = name
        self.version = version
        self.abiVersion = abiVersion
        self.descriptorSize = descriptorSize
        self.descriptionJSON = descriptionJSON
        self.summary = summary
        self.proofTypes = proofTypes
        self.functions = functions
    }

    /// Takes ownership of a plugin-allocated buffer: copies it and frees the original.
    func take(_ bytes: prover_bytes) -> [UInt8] {
        guard let data = bytes.data else { return [] }
        let copy = Array(UnsafeBufferPointer(start: data, count: bytes.size))
        functions.freeBuffer(data)
        return copy
    }

    func release(_ bytes: prover_bytes) {
        if let data = bytes.data { functions.freeBuffer(data) }
    }
}
