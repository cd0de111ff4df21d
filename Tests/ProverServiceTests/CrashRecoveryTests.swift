import Foundation
import ProverService
import Testing

@Suite struct CrashRecoveryTests {
    /// The helper executable, built next to the test bundle.
    static var helperURL: URL {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return bundle.deletingLastPathComponent().appendingPathComponent("ServiceCrashHelper")
    }

    @Test func killedMidProofTheTaskIsRequeuedAndFinishedExactlyOnce() async throws {
        let dir = try temporaryDirectory()
        let db = dir.appendingPathComponent("crash.sqlite").path
        let marker = dir.appendingPathComponent("proving").path
        try #require(FileManager.default.isExecutableFile(atPath: Self.helperURL.path), "build the ServiceCrashHelper product first")

        let child = Process()
        child.executableURL = Self.helperURL
        child.arguments = [db, marker]
        try child.run()
        try await eventually(20) { FileManager.default.fileExists(atPath: marker) }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)

        let id = try #require(TaskID(String(decoding: try Data(contentsOf: URL(fileURLWithPath: marker)), as: UTF8.self)))
        do {
            let store = try SQLiteStore(path: db)
            let stranded = try #require(try store.task(id))
            #expect(stranded.state == .proving)
            #expect(stranded.owner == "crash-helper/prover-cpu-0")
        }

        let probe = Probe()
        let slow = TestHandler(proofType: "slow", canonical: { $0 }, body: { _, _ in
            probe.enter()
            probe.leave()
            return ProofArtifact(proof: Array("from the restarted process".utf8))
        })
        do {
            let (service, _) = try makeService([slow], path: db)
            let record = try await waitFor(service, id, .completed)
            #expect(record.attempt == 0, "a crash does not use up an attempt")
            #expect(try service.proof(id)?.artifact.proof == Array("from the restarted process".utf8))
            await service.shutdown(gracePeriod: .seconds(1))
        }
        // A second restart finds nothing to do.
        let (again, _) = try makeService([slow], path: db)
        try await Task.sleep(for: .milliseconds(50))
        #expect(try again.status(id).state == .completed)
        #expect(try again.summary().total == 1)
        #expect(probe.calls == 1)
        await again.shutdown(gracePeriod: .seconds(1))
    }

    @Test func aProofStoredBeforeACrashIsNotProvedAgain() async throws {
        let path = try temporaryDirectory().appendingPathComponent("p.sqlite").path
        let id = TaskID(proofType: "ok", canonicalContext: [5], backend: "cpu")
        do {
            let store = try SQLiteStore(path: path)
            try store.withTransaction { try $0.insert(TaskRecord(id: id, proofType: "ok", backend: "cpu", context: [5], state: .proving, owner: "dead/w", createdAt: Date())) }
            try store.putProof(StoredProof(taskID: id, proofType: "ok", artifact: ProofArtifact(proof: [9]), createdAt: Date()))
        }
        let probe = Probe()
        let ok = TestHandler(proofType: "ok", body: { _, _ in probe.enter(); probe.leave(); return ProofArtifact(proof: [1]) })
        let (service, _) = try makeService([ok], path: path)
        try await waitFor(service, id, .completed)
        #expect(probe.calls == 0)
        #expect(try service.proof(id)?.artifact.proof == [9])
        await service.shutdown(gracePeriod: .seconds(1))
    }
}
