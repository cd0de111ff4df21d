import Foundation
import ProverService
import Testing

struct BlockRange: Codable, Sendable {
    var from: Int
    var to: Int
}

/// Proves a block range after the range ending just before it (if any).
struct RangeHandler: CodableProofHandler {
    typealias Context = BlockRange
    let proofType = "range"

    func validate(_ context: BlockRange) throws -> BlockRange {
        guard context.from >= 1, context.from <= context.to else { throw HandlerError.permanent("empty range") }
        return context
    }

    func dependencies(ofContext context: BlockRange) throws -> [ProofRequest] {
        context.from == 1 ? [] : [try ProofRequest(proofType: "range", value: BlockRange(from: 1, to: context.from - 1))]
    }

    func prove(context: BlockRange, input: ProofInput, cancellation: CancellationToken) throws -> ProofArtifact {
        let before = input.dependencies.first.map { Int(String(decoding: $0.artifact.publicOutputs, as: UTF8.self))! } ?? 0
        let sum = before + (context.from...context.to).reduce(0, +)
        return ProofArtifact(proof: [1], publicOutputs: Array(String(sum).utf8))
    }
}

@Suite struct CodableHandlerTests {
    @Test func equalValuesMakeOneTaskAndInvalidValuesAreRejected() async throws {
        let (service, _) = try makeService([RangeHandler()], workers: ["cpu": 2])
        let a = try await service.submit(ProofRequest(proofType: "range", context: Array(#"{"to":5,"from":3}"#.utf8)))
        let b = try await service.submit(ProofRequest(proofType: "range", context: Array(#"{ "from": 3, "to": 5 }"#.utf8)))
        #expect(a.id == b.id)
        #expect(a.dependencies.count == 1)
        let proof = try await service.execute(try ProofRequest(proofType: "range", value: BlockRange(from: 3, to: 5)))
        #expect(String(decoding: proof.artifact.publicOutputs, as: UTF8.self) == "15")
        await #expect(throws: ProverServiceError.invalidContext) {
            try await service.submit(try ProofRequest(proofType: "range", value: BlockRange(from: 5, to: 3)))
        }
        await #expect(throws: ProverServiceError.invalidContext) {
            try await service.submit(ProofRequest(proofType: "range", context: Array("not json".utf8)))
        }
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
