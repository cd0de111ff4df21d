import Foundation

/// A ``TaskStore`` shared by several processes ("nodes"), such as the PostgreSQL store.
///
/// A single-process store (SQLite) needs none of this: on start it owns every task, so
/// ``TaskStore/recover(now:)`` requeues everything left `proving`. A shared store cannot do
/// that — other nodes are proving those tasks — so a claim is a **lease**: the store records
/// the owner (`<node id>/<worker>`) and an expiry time, ``ProverService`` renews the leases of
/// its in-flight tasks from a dedicated thread that never proves (the heartbeat), and any node
/// requeues tasks whose lease has expired (the reaper) without using up an attempt. Every
/// completion stays guarded by state and owner, so a late result of a node that lost its lease
/// cannot overwrite the task's new life.
///
/// When the task store is a `LeasingStore`, ``ProverService``:
/// - calls ``restrictClaims(toProofTypes:)`` once at start with the proof types it has handlers for;
/// - calls ``recover(now:)`` (which must only requeue *expired* leases);
/// - runs the heartbeat (``renewLeases(_:ownerPrefix:now:)``) every
///   ``ServiceConfiguration/leaseHeartbeat`` (default a third of ``leaseDuration``), the reaper
///   (``reapExpired(now:)``) about every second, and resolves `wait(for:)` callers whose tasks
///   other nodes finished through ``finalTasks(among:)``;
/// - wakes its idle workers when the store reports that another node queued work
///   (``setWakeHandler(_:)``, e.g. PostgreSQL `LISTEN/NOTIFY`).
public protocol LeasingStore: TaskStore {
    /// How long a claim is valid without renewal. A node that stops renewing (killed, cut off
    /// from the store) loses its tasks to the reaper after at most this long.
    var leaseDuration: Duration { get }

    /// Claims made by this store's `claimNext` / combined `complete(…thenClaim:)` only take tasks
    /// of these proof types (the ones this node can prove). Called once, before recovery.
    func restrictClaims(toProofTypes proofTypes: Set<String>)

    /// Extends to `now + leaseDuration` the leases of the tasks among `ids` that are still
    /// `proving` and owned by a worker whose owner string starts with `ownerPrefix`.
    /// Returns the number of leases renewed.
    @discardableResult
    func renewLeases(_ ids: [TaskID], ownerPrefix: String, now: Date) throws -> Int

    /// Requeues every `proving` task whose lease expired before `now` (attempt unchanged) and
    /// every `retrying` task that is due (its timer may have died with its node).
    func reapExpired(now: Date) throws -> Transitions

    /// The records among `ids` that are final (completed, failed or cancelled).
    func finalTasks(among ids: [TaskID]) throws -> [TaskRecord]

    /// Sets the function called (on a store thread; it must return quickly and not call back
    /// into the store) when another node made tasks of these backends runnable; an empty set
    /// means "any backend". Nil stops the calls.
    func setWakeHandler(_ handler: (@Sendable (Set<String>) -> Void)?)
}
