import Foundation
import ProverService
import ProverServicePostgres
import Testing

/// The PostgreSQL server of the tests: `PROVER_TEST_POSTGRES_URL` (`.ci/run` starts one and
/// sets it; README explains how to start one locally). Unset: the PostgreSQL tests are skipped
/// with that reason.
enum PostgresTestDatabase {
    static let url: String? = {
        let value = ProcessInfo.processInfo.environment["PROVER_TEST_POSTGRES_URL"] ?? ""
        return value.isEmpty ? nil : value
    }()

    static let skipReason: Comment = "PROVER_TEST_POSTGRES_URL is not set: PostgreSQL store tests skipped (see README, \"PostgreSQL tests\")"

    /// The URL of a fresh schema (`t_<random>`) on the test server.
    static func freshURL(leaseSeconds: Double = 30) throws -> PostgresURL {
        guard let url else { throw ProverServiceError.storage.with("PROVER_TEST_POSTGRES_URL is not set") }
        var parsed = try PostgresURL(url)
        parsed.schema = "t_\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        parsed.leaseSeconds = leaseSeconds
        return parsed
    }
}

/// The stores every contract test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when a test server is configured.
    static let available: [StoreKind] = PostgresTestDatabase.url == nil ? [.sqlite] : [.sqlite, .postgres]

    /// A fresh, empty store and the function that disposes of it.
    func make(leaseSeconds: Double = 30) throws -> ContractStore {
        switch self {
        case .sqlite:
            let store = try SQLiteStore(path: temporaryDirectory().appendingPathComponent("tasks.sqlite").path)
            return ContractStore(store: store, dispose: {})
        case .postgres:
            let store = try PostgresStore(url: PostgresTestDatabase.freshURL(leaseSeconds: leaseSeconds))
            return ContractStore(store: store, dispose: {
                try? store.dropSchema()
                store.close()
            })
        }
    }
}

/// A store under test.
struct ContractStore: Sendable {
    let store: any CombinedStore
    let dispose: @Sendable () -> Void

    /// A service over this store (owner "test").
    func service(_ handlers: [any ProofHandler], workers: [String: Int] = ["cpu": 1], ownerID: String = "test",
                 retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5))) throws -> ProverService {
        var configuration = ServiceConfiguration(workers: workers, retry: retry, ownerID: ownerID, random: { 0.5 })
        configuration.remoteWaitPoll = .milliseconds(10)
        configuration.reapInterval = .milliseconds(100)
        let service = ProverService(configuration: configuration, handlers: handlers, taskStore: store, proofStore: store)
        try service.start()
        return service
    }
}

/// A task record for direct store calls.
func contractRecord(_ name: String, priority: Int = 0, backend: String = "cpu", proofType: String = "t", deps: [TaskID] = []) -> TaskRecord {
    TaskRecord(id: TaskID(proofType: proofType, canonicalContext: Array(name.utf8), backend: backend), proofType: proofType,
               backend: backend, context: Array(name.utf8), priority: priority, dependencies: deps, createdAt: Date())
}
