import Foundation

/// How a ``ProverService`` runs.
public struct ServiceConfiguration: Sendable {
    /// Worker threads per backend. Tasks of a backend without a pool are rejected at submit.
    public var workers: [String: Int]
    public var retry: RetryPolicy
    /// Timeout for tasks that do not set their own; nil means none.
    public var defaultTimeout: Duration?
    /// Identifies this process as the owner of the tasks it proves (workers own tasks as
    /// `<ownerID>/<worker>`). With a store shared by several processes it must be unique per
    /// process: use ``ServiceConfiguration/uniqueNodeID()``.
    public var ownerID: String
    /// Source of jitter in [0, 1); injectable for tests.
    public var random: @Sendable () -> Double
    /// Events kept per stream for a slow consumer before the oldest are dropped.
    public var eventBufferLimit: Int
    /// Receives the service's diagnostics (store errors a worker survives, timers that could
    /// not fire, …), one line each. Default: standard error, prefixed `prover-service: `.
    public var log: @Sendable (String) -> Void
    /// A worker whose handler ran at least this long hands the outcome to its pool's committer
    /// thread and claims its next task at once, so the commit (the proof written, the task
    /// completed, its dependents queued) overlaps the next proof. After shorter tasks the worker
    /// commits and claims in one transaction, which costs less when there is nothing to overlap.
    /// Nil: always commit before claiming. Either way a task's outcome is committed exactly as
    /// before, and the worker waits for its last commit before it goes idle.
    public var commitBehindAfter: Duration? = .milliseconds(2)
    /// Short tasks are claimed and committed several at a time (with a ``CombinedStore``). Nil:
    /// one task per claim and per commit.
    public var batching: TaskBatching? = TaskBatching()
    /// With a ``LeasingStore`` only: how often the heartbeat renews the leases of in-flight
    /// tasks. Nil means a third of the store's ``LeasingStore/leaseDuration``.
    public var leaseHeartbeat: Duration? = nil
    /// With a ``LeasingStore`` only: how often expired leases and due retries are swept back to
    /// `queued`, and idle workers look for work even without a wake-up.
    public var reapInterval: Duration = .seconds(1)
    /// With a ``LeasingStore`` only: how often `wait(for:)` callers check whether another node
    /// finished their tasks (only while someone waits).
    public var remoteWaitPoll: Duration = .milliseconds(50)

    public init(
        workers: [String: Int] = ["cpu": 1], retry: RetryPolicy = .default, defaultTimeout: Duration? = nil,
        ownerID: String? = nil, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        eventBufferLimit: Int = 100_000, log: @escaping @Sendable (String) -> Void = ServiceConfiguration.standardErrorLog
    ) {
        self.workers = workers
        self.retry = retry
        self.defaultTimeout = defaultTimeout
        self.ownerID = ownerID ?? "pid-\(ProcessIDs.current)"
        self.random = random
        self.eventBufferLimit = eventBufferLimit
        self.log = log
    }

    /// A node id unique across machines and restarts: `<host>-<pid>-<random>`.
    public static func uniqueNodeID() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count) == 0 ? buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) } : ""
        let host = name.split(separator: ".").first.map(String.init) ?? "host"
        return "\(host)-\(ProcessIDs.current)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }

    /// Writes `prover-service: <message>` to standard error.
    public static let standardErrorLog: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("prover-service: \(message)\n".utf8))
    }
}

/// How a worker batches short tasks. After a task whose handler returned a proof in less than
/// ``shortTask``, the worker's next claim takes as many tasks as it can run in ``maxDelay`` at
/// the pace of its last batch (at most ``maxTasks``); the proofs of short
/// tasks are committed together, with the next claim, when the worker has run all it claimed,
/// when ``maxTasks`` proofs wait, or when the first of them has waited ``maxDelay``. A task that
/// turns out long hands the worker's unstarted claims back to the queue (at their old place), so
/// other workers and nodes share the long work; a claimed task waiting its turn is leased,
/// cancellable and handed back at shutdown like a running one.
public struct TaskBatching: Sendable, Hashable {
    public var maxTasks: Int
    public var shortTask: Duration
    public var maxDelay: Duration

    public init(maxTasks: Int = 128, shortTask: Duration = .milliseconds(1), maxDelay: Duration = .milliseconds(5)) {
        self.maxTasks = max(1, maxTasks)
        self.shortTask = shortTask
        self.maxDelay = maxDelay
    }
}

import Glibc

enum ProcessIDs {
    static var current: Int32 { getpid() }
}
