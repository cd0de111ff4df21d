import CProverABI
import Foundation
import ProverCore
import ProverService

/// A plugin's statement after the host checked it: a valid AIR, a trace of the AIR's shape that
/// satisfies every constraint, and the public inputs. Ready to prove.
public struct PluginStatement: Sendable {
    public let proofType: String
    /// The AIR as the plugin encoded it (`AIR1`); what the prover binds into its transcript.
    public let airEncoding: [UInt8]
    public let program: AirProgram
    public let trace: AirTrace
    public let publicInputs: [Fr]

    /// The public inputs as dependents receive them: 32-byte little-endian elements.
    public var publicOutputs: [UInt8] { publicInputs.flatMap(\.littleEndianBytes) }
}

/// A dependency's outputs as a plugin's `build_statement` receives them.
public struct StatementDependency: Sendable, Hashable {
    public let proofType: String
    /// The dependency's canonical context.
    public let context: [UInt8]
    /// Its public inputs.
    public let publicOutputs: [Fr]

    public init(proofType: String, context: [UInt8], publicOutputs: [Fr]) {
        self.proofType = proofType
        self.context = context
        self.publicOutputs = publicOutputs
    }

    /// Decodes 32-byte little-endian public outputs (`ProofArtifact.publicOutputs`).
    public static func decodeOutputs(_ bytes: [UInt8]) throws(PluginCallError) -> [Fr] {
        guard bytes.count % 32 == 0 else {
            throw PluginCallError(.badDependency, "public outputs are \(bytes.count) bytes, not a multiple of 32")
        }
        var out: [Fr] = []
        out.reserveCapacity(bytes.count / 32)
        for i in stride(from: 0, to: bytes.count, by: 32) {
            guard let x = bytes.withUnsafeBytes({ Fr(littleEndian: $0.baseAddress! + i) }) else {
                throw PluginCallError(.badDependency, "public output \(i / 32) is not a canonical field element")
            }
            out.append(x)
        }
        return out
    }
}

extension PluginHost {
    /// Asks the plugin for the statement of a canonical context and checks it: the AIR decodes
    /// (`AirProgram(decoding:)`), the trace has the AIR's width and length, the public inputs
    /// have the AIR's count, every value is canonical, and the trace satisfies every boundary
    /// and transition constraint (`AirEvaluator.checkTrace`). Any defect is a permanent
    /// `PluginCallError` naming the plugin and the first problem.
    ///
    /// `checksConstraints: false` skips only the constraint check, for a caller that hands the
    /// statement straight to `StarkProver`, which runs the same check first (and refuses a
    /// violating trace with the row and constraint) — so the boundary does not pay for it twice.
    public func statement(
        proofType: String, context: [UInt8], dependencies: [StatementDependency], cancellation: CancellationToken? = nil,
        checksConstraints: Bool = true
    ) throws(PluginCallError) -> PluginStatement {
        let plugin = try require(proofType)
        let raw = try buildStatement(plugin, proofType: proofType, context: context, dependencies: dependencies, cancellation: cancellation)
        if cancellation?.isCancelled == true { throw PluginCallError(.transient, "\(proofType): cancelled") }
        let statement = try Self.checkStatement(raw, plugin: plugin, proofType: proofType, checksConstraints: checksConstraints)
        // A plugin that defines its AIRs per context must build its statements on exactly that AIR,
        // so a verifier that asks build_air checks the same thing the prover proved.
        if let defined = try air(proofType: proofType, context: context), defined.encoding != statement.airEncoding {
            throw PluginCallError(
                .malformedAir,
                "\(plugin.name) statement for \(proofType): the statement's AIR differs from the AIR build_air defines for this context")
        }
        return statement
    }

    struct RawStatement {
        var air: [UInt8]
        var width: UInt64
        var length: UInt64
        var trace: [UInt8]
        var publicInputCount: UInt64
        var publicInputs: [UInt8]
    }

    func buildStatement(
        _ plugin: LoadedPlugin, proofType: String, context: [UInt8], dependencies: [StatementDependency], cancellation: CancellationToken?
    ) throws(PluginCallError) -> RawStatement {
        // Keep every input alive for the call.
        let typeNames = dependencies.map { Array($0.proofType.utf8CString) }
        let outputs = dependencies.map { $0.publicOutputs.flatMap(\.littleEndianBytes) }
        var out = prover_statement_v1()
        out.struct_size = UInt32(MemoryLayout<prover_statement_v1>.size)
        var message = [CChar](repeating: 0, count: 1024)
        let status: prover_status = makeCall(plugin, cancellation: cancellation).withHandle { h in
            withPointers(typeNames) { typePointers in
                withPointers(dependencies.map(\.context)) { contextPointers in
                    withPointers(outputs) { outputPointers in
                        var deps: [prover_dependency_v1] = []
                        for i in dependencies.indices {
                            deps.append(prover_dependency_v1(
                                proof_type: typePointers[i], context: contextPointers[i], context_size: dependencies[i].context.count,
                                public_outputs: outputPointers[i], public_output_count: dependencies[i].publicOutputs.count))
                        }
                        return proofType.withCString { type in
                            context.withUnsafeBufferPointer { ctx in
                                deps.withUnsafeBufferPointer { d in
                                    message.withUnsafeMutableBufferPointer { msg in
                                        plugin.functions.buildStatement(
                                            h, type, ctx.baseAddress, ctx.count, d.baseAddress, d.count, &out, msg.baseAddress!, msg.count)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let raw = RawStatement(
            air: plugin.take(out.air), width: out.trace_width, length: out.trace_length, trace: plugin.take(out.trace),
            publicInputCount: out.public_input_count, publicInputs: plugin.take(out.public_inputs))
        try Self.check(status, message, plugin: plugin, function: "build_statement(\(proofType))")
        return raw
    }

    static func checkStatement(
        _ raw: RawStatement, plugin: LoadedPlugin, proofType: String, checksConstraints: Bool = true
    ) throws(PluginCallError) -> PluginStatement {
        let who = "\(plugin.name) statement for \(proofType)"
        let program: AirProgram
        do {
            program = try AirProgram(decoding: raw.air)
        } catch {
            throw PluginCallError(.malformedAir, "\(who): the AIR does not decode: \(error)")
        }
        let width = program.traceWidth, length = program.traceLength
        guard raw.width == UInt64(width), raw.length == UInt64(length) else {
            throw PluginCallError(.traceShape, "\(who): trace declared \(raw.width) columns × \(raw.length) rows, the AIR wants \(width) × \(length)")
        }
        guard raw.trace.count == width * length * 32 else {
            throw PluginCallError(.traceShape, "\(who): trace is \(raw.trace.count) bytes, the AIR wants \(width) × \(length) × 32 = \(width * length * 32)")
        }
        guard raw.publicInputCount == UInt64(program.publicInputCount), raw.publicInputs.count == program.publicInputCount * 32 else {
            throw PluginCallError(
                .publicInputs,
                "\(who): \(raw.publicInputCount) public inputs in \(raw.publicInputs.count) bytes, the AIR wants \(program.publicInputCount)")
        }
        var columns: [[Fr]] = []
        columns.reserveCapacity(width)
        let traceOK: Bool = raw.trace.withUnsafeBytes { bytes in
            for c in 0..<width {
                var column: [Fr] = []
                column.reserveCapacity(length)
                for r in 0..<length {
                    let offset = (c * length + r) * 32
                    guard let x = Fr(littleEndian: bytes.baseAddress! + offset) else { return false }
                    column.append(x)
                }
                columns.append(column)
            }
            return true
        }
        guard traceOK else { throw PluginCallError(.traceShape, "\(who): the trace holds a value that is not a canonical field element") }
        let publicInputs: [Fr]
        do {
            publicInputs = try StatementDependency.decodeOutputs(raw.publicInputs)
        } catch {
            throw PluginCallError(.publicInputs, "\(who): \(error.detail)")
        }
        let trace = AirTrace(columns: columns)
        do {
            if checksConstraints { try AirEvaluator(program).checkTrace(trace, publicInputs: publicInputs) }
        } catch {
            throw PluginCallError(.constraintViolation, "\(who): the trace does not satisfy the AIR: \(error)")
        }
        return PluginStatement(proofType: proofType, airEncoding: raw.air, program: program, trace: trace, publicInputs: publicInputs)
    }
}

/// Calls `body` with stable pointers to the elements of each array (empty arrays give NULL).
private func withPointers<T, R>(_ arrays: [[T]], _ body: ([UnsafePointer<T>?]) -> R) -> R {
    var pointers: [UnsafePointer<T>?] = []
    var copies: [UnsafeMutableBufferPointer<T>] = []
    for array in arrays {
        let copy = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
        _ = copy.initialize(from: array)
        copies.append(copy)
        pointers.append(array.isEmpty ? nil : UnsafePointer(copy.baseAddress))
    }
    defer {
        for (copy, array) in zip(copies, arrays) {
            copy.baseAddress!.deinitialize(count: array.count)
            copy.deallocate()
        }
    }
    return body(pointers)
}
