import Devnet
import Foundation
import PluginHost
import ProverCore
import ProverService
import Testing

/// Compiles a C plugin source with the system C compiler (`cc`, else the toolchain's `clang`)
/// into `output`.
func compileCPlugin(_ source: String, to output: String, defines: [String] = []) throws {
    for compiler in ["cc", "clang"] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [compiler, "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-I", packageRoot + "/Sources/CProverABI/include"]
            + defines.map { "-D" + $0 } + [source, "-o", output]
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus == 0 { return }
        if process.terminationStatus != 127 { break }  // 127: no such compiler, try the next
    }
    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: source])
}

/// Compiles `Fixtures/fixture_plugin.c` with the given macros into a fresh shared library.
func buildFixture(_ defines: [String]) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prover-fixture-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let output = directory.appendingPathComponent("libfixture.so").path
    try compileCPlugin(packageRoot + "/Tests/PluginHostTests/Fixtures/fixture_plugin.c", to: output, defines: defines)
    return output
}

func freshHost() -> PluginHost { PluginHost(chain: Devnet(seed: 3, checkpoints: 1)) }

@Suite struct FixturePluginTests {
    @Test(arguments: [
        ("FIXTURE_WRONG_MAJOR", PluginLoadError.abiMajorMismatch, "plugin ABI 2.0, host ABI 1.0"),
        ("FIXTURE_V2_ONLY", PluginLoadError.abiMajorMismatch, "prover_plugin_entry_v2"),
        ("FIXTURE_NO_ENTRY", PluginLoadError.missingEntry, "prover_plugin_entry_v1"),
        ("FIXTURE_REFUSE", PluginLoadError.refused, "host ABI 1.0"),
        ("FIXTURE_BAD_MODULUS", PluginLoadError.badMagic, "field modulus"),
        ("FIXTURE_BAD_TAG", PluginLoadError.badMagic, "magic tag"),
        ("FIXTURE_BAD_AIR", PluginLoadError.badMagic, "AIR encoding \"AIR1\" v2"),
        ("FIXTURE_SHORT_STRUCT", PluginLoadError.descriptorTooSmall, "struct_size"),
        ("FIXTURE_NULL_FUNCTION", PluginLoadError.missingFunction, "build_statement"),
        ("FIXTURE_BAD_DESCRIBE", PluginLoadError.badDescription, "invalid JSON"),
    ])
    func refusesABrokenPlugin(define: String, expected: PluginLoadError, mention: String) throws {
        let path = try buildFixture([define])
        let host = freshHost()
        let error = #expect(throws: expected) { try host.load(path: path) }
        #expect(error?.detail.contains(path) == true, "\(error?.detail ?? "")")
        #expect(error?.detail.contains(mention) == true, "\(error?.detail ?? "")")
        #expect(host.plugins.isEmpty && host.proofTypes.isEmpty)
    }

    @Test func loadsANewerMinorWithALargerDescriptor() throws {
        let host = freshHost()
        let plugin = try host.load(path: try buildFixture(["FIXTURE_NEWER_MINOR"]))
        #expect(plugin.abiVersion == ABIVersion(major: 1, minor: 99))
        #expect(plugin.descriptorSize > 100)
        _ = try host.statement(proofType: "fixture-ok", context: Array("{}".utf8), dependencies: [])
    }

    @Test func missingFileAndNonLibrary() throws {
        let host = freshHost()
        #expect(throws: PluginLoadError.notFound) { try host.load(path: "/nonexistent/libnothing.so") }
        let junk = FileManager.default.temporaryDirectory.appendingPathComponent("junk-\(UUID().uuidString).so").path
        try Data("not an ELF file".utf8).write(to: URL(fileURLWithPath: junk))
        #expect(throws: PluginLoadError.openFailed) { try host.load(path: junk) }
    }

    @Test func malformedStatementsArePermanentFailuresWithAReason() throws {
        let host = freshHost()
        try host.load(path: try buildFixture([]))
        let context = Array("{}".utf8)
        _ = try host.statement(proofType: "fixture-ok", context: context, dependencies: [])
        let cases: [(String, PluginCallError, String)] = [
            ("fixture-trace-size", .traceShape, "trace is 448 bytes"),
            ("fixture-violation", .constraintViolation, "transition_violated"),
            ("fixture-bad-air", .malformedAir, "bad_magic"),
            ("fixture-inputs", .publicInputs, "the AIR wants 3"),
            ("fixture-permanent", .permanent, "this will never work"),
        ]
        for (type, expected, mention) in cases {
            let error = #expect(throws: expected) { try host.statement(proofType: type, context: context, dependencies: []) }
            #expect(error?.failureClass == .permanent)
            #expect(error?.detail.contains(mention) == true, "\(type): \(error?.detail ?? "")")
        }
        let transient = #expect(throws: PluginCallError.transient) {
            try host.statement(proofType: "fixture-transient", context: context, dependencies: [])
        }
        #expect(transient?.failureClass == .transient)
    }

    @Test func aStatementOffItsDefinedAirIsRefused() throws {
        let host = freshHost()
        let plain = try host.load(path: try buildFixture([]))
        #expect(!plain.definesAirs)
        #expect(try host.air(proofType: "fixture-ok", context: Array("{}".utf8)) == nil)

        let other = freshHost()
        let plugin = try other.load(path: try buildFixture(["FIXTURE_AIR_MISMATCH"]))
        #expect(plugin.definesAirs)
        let error = #expect(throws: PluginCallError.malformedAir) {
            try other.statement(proofType: "fixture-ok", context: Array("{}".utf8), dependencies: [])
        }
        #expect(error?.detail.contains("build_air") == true)

        // Past struct_size nothing is read, not even a non-NULL pointer.
        let old = freshHost()
        let minimal = try old.load(path: try buildFixture(["FIXTURE_MIN_STRUCT"]))
        #expect(!minimal.definesAirs)
        _ = try old.statement(proofType: "fixture-ok", context: Array("{}".utf8), dependencies: [])
    }

    @Test func duplicateProofTypesAreRefused() throws {
        let host = freshHost()
        try host.load(path: pluginPath("EvmEe"))
        let error = #expect(throws: PluginLoadError.duplicateProofType) {
            try host.load(path: try buildFixture([#"FIXTURE_TYPE="evm-ee-stf""#]))
        }
        #expect(error?.detail.contains("evm-ee") == true)
        #expect(host.plugins.count == 1)
        // The same library twice.
        #expect(throws: PluginLoadError.duplicateProofType) { try host.load(path: pluginPath("EvmEe")) }
    }

    @Test func directoryScanLoadsPluginsAndReportsRefusals() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prover-plugins-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(atPath: try buildFixture([]), toPath: directory.appendingPathComponent("libgood.so").path)
        try FileManager.default.copyItem(atPath: try buildFixture(["FIXTURE_WRONG_MAJOR"]), toPath: directory.appendingPathComponent("libmajor.so").path)
        try Data("no marker here".utf8).write(to: directory.appendingPathComponent("libother.so"))
        let report = try freshHost().loadDirectory(directory.path)
        #expect(report.loaded.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["libgood.so"])
        #expect(report.refused.map(\.code) == ["abi_major_mismatch"])
    }
}
