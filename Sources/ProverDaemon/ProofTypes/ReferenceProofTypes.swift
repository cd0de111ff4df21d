public import ProverCore
import ProverService
import Foundation

/// The built-in proof types over the reference AIRs: real STARK proofs that need no plugin.
/// `stark-fibonacci` proves {"rows": N} (a power of two, 8…2^20) from (1, 1);
/// `stark-poseidon-chain` proves {"seed": "…", "messages": ["…", …]} (1…4096 messages, field
/// elements in decimal or 0x-hex). Public outputs are the statement's public inputs as JSON.
public enum ReferenceProofTypes {
    /// Proofs take their threads from `threadBudget` (all cores when there is none).
    public static func all(parameters: StarkParameters, threadBudget: ThreadBudget? = nil) -> [any DaemonProofType] {
        [StarkProofType(kind: FibonacciStatement.self, parameters: parameters, threadBudget: threadBudget),
         StarkProofType(kind: PoseidonChainStatement.self, parameters: parameters, threadBudget: threadBudget)]
    }
}

/// A statement a reference proof type proves: decoded from the context JSON, validated, and
/// turned into an AIR, a trace and public inputs.
protocol ReferenceStatement: Codable, Sendable {
    static var typeName: String { get }
    static var summary: String { get }
    /// Throws `HandlerError.permanent` naming the bad field.
    func validated() throws -> Self
    func program() throws -> AirProgram
    func witness() throws -> (trace: AirTrace, publicInputs: [Fr])
    /// The public inputs without building the trace (for verification).
    func publicInputs() throws -> [Fr]
}

struct FibonacciStatement: ReferenceStatement {
    var rows: Int
    static let typeName = "stark-fibonacci"
    static let summary = "Fibonacci AIR from (1, 1); context {\"rows\": power of two 8…2^20}"

    func validated() throws -> Self {
        guard rows >= 8, rows <= 1 << 20, rows & (rows - 1) == 0 else {
            throw HandlerError.permanent("rows: \(rows) is not a power of two in 8…1048576")
        }
        return self
    }
    func program() throws -> AirProgram { try FibonacciAir.program(length: rows) }
    func witness() throws -> (trace: AirTrace, publicInputs: [Fr]) { FibonacciAir.trace(length: rows) }
    func publicInputs() throws -> [Fr] { FibonacciAir.trace(length: rows).publicInputs }
}

struct PoseidonChainStatement: ReferenceStatement {
    var seed: String
    var messages: [String]
    static let typeName = "stark-poseidon-chain"
    static let summary = "Poseidon (t=3) hash chain; context {\"seed\": Fr, \"messages\": [Fr, …] (1…4096)}"

    private func elements() throws -> (Fr, [Fr]) {
        func parse(_ text: String, _ field: String) throws -> Fr {
            do { return try Fr(parsing: text) } catch { throw HandlerError.permanent("\(field): \(error)") }
        }
        return (try parse(seed, "seed"), try messages.enumerated().map { try parse($1, "messages[\($0)]") })
    }

    func validated() throws -> Self {
        guard (1...4096).contains(messages.count) else {
            throw HandlerError.permanent("messages: \(messages.count) messages, allowed 1…4096")
        }
        let (s, m) = try elements()
        // Canonical spelling: lowercase 0x-hex, so equal statements make equal tasks.
        return PoseidonChainStatement(seed: s.hexString, messages: m.map(\.hexString))
    }
    func program() throws -> AirProgram { try PoseidonChainAir.program(messageCount: messages.count) }
    func witness() throws -> (trace: AirTrace, publicInputs: [Fr]) {
        let (s, m) = try elements()
        return PoseidonChainAir.trace(seed: s, messages: m)
    }
    func publicInputs() throws -> [Fr] {
        let (s, m) = try elements()
        return PoseidonChainAir.publicInputs(seed: s, messages: m)
    }
}

/// Public outputs of a reference proof: {"public_inputs": ["0x…", …]}.
struct ReferencePublicOutputs: Codable, Equatable {
    var public_inputs: [String]
}

/// A reference proof type: handler + verifier over one statement kind.
struct StarkProofType<Statement: ReferenceStatement>: DaemonProofType {
    let parameters: StarkParameters
    let threadBudget: ThreadBudget?
    init(kind: Statement.Type, parameters: StarkParameters, threadBudget: ThreadBudget?) {
        self.parameters = parameters
        self.threadBudget = threadBudget
    }

    var name: String { Statement.typeName }
    var summary: String { Statement.summary + " (\(parameters.conjecturedSecurityBits)-bit STARK)" }
    var handler: any ProofHandler { Handler(parameters: parameters, threadBudget: threadBudget) }

    struct Handler: CodableProofHandler {
        typealias Context = Statement
        let parameters: StarkParameters
        let threadBudget: ThreadBudget?
        var proofType: String { Statement.typeName }

        func validate(_ context: Statement) throws -> Statement { try context.validated() }

        func prove(context: Statement, input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact {
            let program = try context.program()
            let (trace, inputs) = try context.witness()
            let proof: StarkProof
            do {
                let threadBudget = self.threadBudget
                let prove = { (threads: Int?) throws(StarkError) -> StarkProof in
                    var options = StarkProver.Options(threads: threads, isCancelled: { cancellation.isCancelled })
                    if let threadBudget { options.threadCount = { threadBudget.currentShare } }
                    return try StarkProver.prove(
                        program: program, trace: trace, publicInputs: inputs, parameters: parameters, options: options)
                }
                if let threadBudget {
                    proof = try threadBudget.withShare { (threads: Int) throws(StarkError) -> StarkProof in try prove(threads) }
                } else {
                    proof = try prove(nil)
                }
            } catch let error where error == StarkError.cancelled {
                throw CancellationError()
            } catch {
                throw HandlerError.permanent("\(error)")
            }
            let bytes = proof.bytes
            // Every proof is verified before it is stored.
            do {
                try StarkVerifier.verify(proof: bytes, program: program, publicInputs: inputs, parameters: parameters)
            } catch {
                throw HandlerError.permanent("the new proof does not verify: \(error)")
            }
            let outputs = try JSONEncoder().encode(ReferencePublicOutputs(public_inputs: inputs.map(\.hexString)))
            return ProofArtifact(proof: bytes, publicOutputs: [UInt8](outputs), metadata: ["rows": "\(program.traceLength)"])
        }
    }

    func verify(canonicalContext: [UInt8], artifact: ProofArtifact) throws {
        let statement: Statement
        do {
            statement = try JSONDecoder().decode(Statement.self, from: Data(canonicalContext))
        } catch {
            throw ProofVerificationError("context: \(error)")
        }
        let inputs = try statement.publicInputs()
        let outputs = try? JSONDecoder().decode(ReferencePublicOutputs.self, from: Data(artifact.publicOutputs))
        guard outputs == ReferencePublicOutputs(public_inputs: inputs.map(\.hexString)) else {
            throw ProofVerificationError("the public outputs do not match the statement")
        }
        do {
            try StarkVerifier.verify(proof: artifact.proof, program: try statement.program(), publicInputs: inputs, parameters: parameters)
        } catch {
            throw ProofVerificationError("\(error)")
        }
    }
}
