import Foundation

extension ProverService {
    /// Stops the service and returns once its threads have ended.
    ///
    /// 1. New submissions are refused (`shuttingDown`) and no new task is claimed; idle workers
    ///    end at once.
    /// 2. Running handlers have `gracePeriod` to finish on their own.
    /// 3. The rest are cancelled through their tokens (reason `.shutdown`) and have
    ///    `cancellationGrace` to return. Each worker commits its own outcome: a handler that
    ///    throws is requeued without using an attempt, one that returns a proof completes, a
    ///    task the user cancelled ends `cancelled`.
    /// 4. A handler still running after that ignores its token: the shutdown requeues its task
    ///    (or cancels it, if the user had), the worker drops its late result, and its thread is
    ///    left to end on its own (logged) — the only case in which this returns before a thread
    ///    has ended. Outcomes handed to the pools' committer threads are all committed first.
    /// 5. The timer thread stops; event streams end and every `execute` / `wait(for:)` caller
    ///    still waiting is resumed with `shuttingDown`; the store thread stops.
    ///
    /// The service cannot be started again.
    public func shutdown(gracePeriod: Duration, cancellationGrace: Duration = .seconds(5)) async {
        run.withLock { $0.stopping = true }
        for pool in pools.values { pool.stop() }
        if await !workerThreads.wait(timeout: gracePeriod) {
            let tokens = run.withLock { s in
                s.cancelling = true
                return s.inFlight.values.map(\.token)
            }
            for token in tokens { token.cancel(.shutdown) }
            if await !workerThreads.wait(timeout: cancellationGrace) {
                await abandonRunningTasks()
            }
        }
        // Workers wait for their own commits before they end; the committers are idle now, unless
        // a worker was abandoned above (its late result is dropped, never handed over).
        for pool in pools.values { pool.committer.stop() }
        for pool in pools.values where await !pool.committer.threads.wait(timeout: cancellationGrace) {
            log("shutdown: the \(pool.committer.name) thread did not end within \(cancellationGrace)")
        }
        // The heartbeat kept the leases of the handlers that finished above; now it ends.
        leaseKeeper.stop()
        (tasks as? any LeasingStore)?.setWakeHandler(nil)
        timers.stop()
        if await !leaseKeeper.threads.wait(timeout: cancellationGrace) {
            log("shutdown: the lease thread did not end within \(cancellationGrace)")
        }
        if await !timers.threads.wait(timeout: cancellationGrace) {
            log("shutdown: the timer thread did not end within \(cancellationGrace)")
        }
        hub.close(failingWaitersWith: ProverServiceError.shuttingDown.with("the service shut down before the task finished"))
        storeThread.stop()
        if await !storeThread.threads.wait(timeout: cancellationGrace) {
            log("shutdown: the store thread did not end within \(cancellationGrace)")
        }
    }

    /// Takes over the tasks whose handlers ignored the shutdown's cancel: requeues them (or
    /// cancels those the user cancelled) and marks them so their workers drop the late results.
    private func abandonRunningTasks() async {
        let abandoned = run.withLock { s -> [InFlightTask] in
            var taken: [InFlightTask] = []
            for (id, var entry) in s.inFlight where entry.phase == .running {
                entry.phase = .abandoned
                s.inFlight[id] = entry
                taken.append(entry)
            }
            return taken
        }
        let tasks = self.tasks
        let clock = self.clock
        for entry in abandoned {
            let id = entry.record.id
            log("shutdown: the handler of task \(id) (\(entry.owner)) did not return within the cancellation grace; "
                + "the task is \(entry.cancelRequested ? "cancelled" : "requeued") and the handler's late result will be dropped")
            do {
                publish(try await storeThread.run {
                    entry.cancelRequested
                        ? try tasks.finishCancelled(id, owner: entry.owner, now: clock.now())
                        : try tasks.requeue(id, owner: entry.owner, now: clock.now())
                })
            } catch {
                log("shutdown: could not hand task \(id) back: \(error) (start() requeues it)")
            }
            run.withLock { s in
                if s.inFlight[id]?.claimKey == entry.claimKey { s.inFlight[id] = nil }
            }
        }
        inFlightEnded.broadcast()
        let stuck = workerThreads.running
        if stuck > 0 { log("shutdown: \(stuck) worker thread(s) still running; they end when their handlers return") }
    }

    /// Dedicated threads of this service still running (workers, committers, timer, store, lease).
    package var runningThreadCount: Int {
        workerThreads.running + timers.threads.running + storeThread.threads.running + leaseKeeper.threads.running
            + pools.values.reduce(0) { $0 + $1.committer.threads.running }
    }
}
