/// A task one of this process's workers is running, from its claim until its outcome is
/// committed to the store. Lives in ``ProverService``'s run state, guarded by its mutex.
///
/// The phase makes the outcome deterministic: a cancel that finds the task `running` is
/// accepted (the task will end `cancelled`, whatever the handler returns); once the worker has
/// taken its decision (`finishing`) a cancel waits until the outcome is committed and reports
/// the final state. Shutdown takes over a handler that ignores its token (`abandoned`): the
/// worker then leaves the store alone when the handler finally returns.
struct InFlightTask {
    enum Phase {
        /// The handler runs; a cancel is accepted.
        case running
        /// The worker decided the outcome and is committing it.
        case finishing
        /// Shutdown is requeuing (or cancelling) the task; the worker's late result is dropped.
        case abandoned
    }

    /// The task as claimed (`proving`).
    let record: TaskRecord
    let token: CancellationToken
    let owner: String
    let claimKey: ProverService.ClaimKey
    var phase = Phase.running
    /// A user's cancel was accepted: the task ends `cancelled`.
    var cancelRequested = false
}
