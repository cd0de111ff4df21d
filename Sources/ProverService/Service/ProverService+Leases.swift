import Foundation

extension ProverService {
    /// When the lease keeper last renewed and reaped (touched only on its thread).
    final class LeaseSchedule: @unchecked Sendable {
        var lastHeartbeat = Date()
        var lastReap = Date.distantPast
    }

    /// Prepares a shared store before recovery: claims restricted to our proof types, idle
    /// workers woken when another node queues work.
    func attach(_ store: any LeasingStore) {
        store.restrictClaims(toProofTypes: Set(registry.proofTypes))
        let pools = self.pools
        store.setWakeHandler { backends in
            for (backend, pool) in pools where backends.isEmpty || backends.contains(backend) { pool.signal() }
        }
    }

    /// Starts the `prover-lease` thread: the heartbeat, the reaper, and the wake-up of
    /// `wait(for:)` callers whose tasks other nodes finish. It never proves, so a long proof
    /// cannot delay a renewal.
    func startLeaseKeeper(_ store: any LeasingStore) {
        let heartbeat = (configuration.leaseHeartbeat ?? store.leaseDuration / 3).seconds
        let reap = configuration.reapInterval.seconds
        let poll = configuration.remoteWaitPoll.seconds
        let schedule = LeaseSchedule()
        leaseKeeper.start(interval: max(0.001, min(poll, heartbeat, reap))) { [self] in
            leaseTick(store, schedule, heartbeat: heartbeat, reap: reap)
        }
    }

    private func leaseTick(_ store: any LeasingStore, _ schedule: LeaseSchedule, heartbeat: Double, reap: Double) {
        let now = Date()
        if now.timeIntervalSince(schedule.lastHeartbeat) >= heartbeat {
            let ids = run.withLock { Array($0.inFlight.keys) }
            if !ids.isEmpty {
                do {
                    try store.renewLeases(ids, ownerPrefix: "\(configuration.ownerID)/", now: clock.now())
                    schedule.lastHeartbeat = now
                } catch {
                    log("lease heartbeat failed (retrying): \(error)")
                }
            } else {
                schedule.lastHeartbeat = now
            }
        }
        if now.timeIntervalSince(schedule.lastReap) >= reap, !run.withLock({ $0.stopping }) {
            schedule.lastReap = now
            do {
                let events = try store.reapExpired(now: clock.now())
                publish(events)
            } catch {
                log("lease reaper failed (retrying): \(error)")
            }
            // Safety net for a lost wake-up (the listener reconnecting): idle workers look again.
            for pool in pools.values { pool.signal() }
        }
        let waited = hub.waitedIDs
        if !waited.isEmpty {
            do {
                hub.resolve(finished: try store.finalTasks(among: waited))
            } catch {
                log("checking waited tasks failed (retrying): \(error)")
            }
        }
    }
}
