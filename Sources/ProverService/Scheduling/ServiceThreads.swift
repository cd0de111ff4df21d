import Foundation
import Synchronization

/// The service's dedicated threads (pool workers `prover-<backend>-<index>`, `prover-timers`,
/// `prover-store`), for diagnostics and tests. (Foundation's `Thread.name` does not reach the
/// kernel on Linux, so the names are kept here.)
package enum ServiceThreads {
    private static let names = Mutex<[UInt: String]>([:])

    /// Runs `body` on the calling thread registered under `name`.
    static func run(named name: String, _ body: () -> Void) {
        let me = UInt(pthread_self())
        names.withLock { $0[me] = name }
        body()
        names.withLock { $0[me] = nil }
    }

    /// Puts the calling thread under `SCHED_BATCH` (Linux): same share of the CPU, but waking it
    /// does not preempt the running thread. Best effort: a refusal leaves the thread as it was.
    static func useBatchScheduling() {
        var parameters = sched_param()
        parameters.sched_priority = 0
        let schedBatch: Int32 = 3  // SCHED_BATCH in <linux/sched.h>; Glibc hides it without _GNU_SOURCE
        _ = sched_setscheduler(0, schedBatch, &parameters)
    }

    /// The name of the calling thread if it is one of the service's dedicated threads.
    package static var currentName: String? {
        let me = UInt(pthread_self())
        return names.withLock { $0[me] }
    }
}
