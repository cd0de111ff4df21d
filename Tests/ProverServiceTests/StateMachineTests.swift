import Foundation
import ProverService
import Testing

@Suite struct StateMachineTests {
    /// The legal transitions, written out independently of the implementation.
    static let legal: Set<String> = [
        "pending>waiting", "pending>queued", "pending>failed", "pending>cancelled",
        "waiting>queued", "waiting>failed", "waiting>cancelled",
        "queued>proving", "queued>cancelled",
        "proving>completed", "proving>retrying", "proving>failed", "proving>cancelled", "proving>queued",
        "retrying>queued", "retrying>cancelled",
        "failed>pending", "cancelled>pending",
    ]

    @Test func transitionTableMatchesSpecification() {
        for from in TaskState.allCases {
            for to in TaskState.allCases {
                #expect(from.canTransition(to: to) == Self.legal.contains("\(from.rawValue)>\(to.rawValue)"), "\(from) → \(to)")
            }
        }
        #expect(TaskState.allCases.filter(\.isFinal) == [.completed, .failed, .cancelled])
    }

    @Test func storeAppliesEveryLegalTransitionAndRejectsEveryIllegalOne() throws {
        let store = try SQLiteStore(path: temporaryDirectory().appendingPathComponent("t.sqlite").path)
        let now = Date()
        var checked = 0
        for from in TaskState.allCases {
            for to in TaskState.allCases {
                let id = TaskID(proofType: "t", canonicalContext: Array("\(from)>\(to)".utf8), backend: "cpu")
                let record = TaskRecord(id: id, proofType: "t", backend: "cpu", context: [1], state: from,
                                        owner: from == .proving ? "w" : nil, createdAt: now)
                try store.withTransaction { try $0.insert(record) }
                if Self.legal.contains("\(from.rawValue)>\(to.rawValue)") {
                    let moved = try store.applyTransition(id, from: from, to: to, now: now)
                    #expect(moved.state == to)
                    #expect(try store.task(id)?.state == to)
                } else {
                    #expect(throws: ProverServiceError.illegalTransition) {
                        try store.applyTransition(id, from: from, to: to, now: now)
                    }
                    #expect(try store.task(id)?.state == from, "illegal \(from) → \(to) must not change the row")
                }
                checked += 1
            }
        }
        #expect(checked == 64)
    }

    @Test func updatesAreGuardedByTheExpectedState() throws {
        let store = try SQLiteStore(path: temporaryDirectory().appendingPathComponent("t.sqlite").path)
        let id = TaskID(proofType: "t", canonicalContext: [7], backend: "cpu")
        try store.withTransaction { try $0.insert(TaskRecord(id: id, proofType: "t", backend: "cpu", context: [7], state: .queued, createdAt: Date())) }
        // A stale caller that believes the task is still waiting loses.
        #expect(throws: ProverServiceError.stateConflict) { try store.applyTransition(id, from: .waiting, to: .queued, now: Date()) }
        // Completing requires proving *and* ownership.
        _ = try store.claimNext(backend: "cpu", owner: "me", now: Date())
        #expect(throws: ProverServiceError.stateConflict) { try store.complete(id, owner: "someone-else", now: Date()) }
        let done = try store.complete(id, owner: "me", now: Date())
        #expect(done.map(\.to) == [.completed])
        // A late second result never overwrites the final state.
        #expect(throws: ProverServiceError.stateConflict) { try store.complete(id, owner: "me", now: Date()) }
        #expect(throws: ProverServiceError.unknownTask) {
            try store.complete(TaskID(proofType: "x", canonicalContext: [], backend: "cpu"), owner: "me", now: Date())
        }
    }

    @Test func taskIDsAreDeterministicAndUnambiguous() {
        let a = TaskID(proofType: "ab", canonicalContext: Array("c".utf8), backend: "cpu")
        let b = TaskID(proofType: "a", canonicalContext: Array("bc".utf8), backend: "cpu")
        #expect(a == TaskID(proofType: "ab", canonicalContext: Array("c".utf8), backend: "cpu"))
        #expect(a != b)
        #expect(a != TaskID(proofType: "ab", canonicalContext: Array("c".utf8), backend: "gpu"))
        #expect(a.hex.count == 32)
        #expect(TaskID(a.hex) == a)
        #expect(TaskID("not-an-id") == nil)
    }
}
