import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Listens on the store's channel (`LISTEN prover_work_<schema>`) on a connection of its own
/// and calls the wake handler with the backends another node made work runnable for. The
/// payload is `<store instance>|<backend>,<backend>…`; a store's own notifications are
/// ignored (its service already woke its workers). The connection is re-established after a
/// failure (1 s later), so a restart of the server only delays wake-ups; the service's reaper
/// tick wakes idle workers once a second anyway.
final class PostgresNotifier: Sendable {
    private let configuration: PostgresConnection.Configuration
    let channel: String
    let instanceID: String
    let logger: Logger
    private let state = Mutex<(handler: (@Sendable (Set<String>) -> Void)?, task: Task<Void, Never>?, stopped: Bool)>((nil, nil, false))

    init(configuration: PostgresConnection.Configuration, channel: String, instanceID: String, logger: Logger) {
        self.configuration = configuration
        self.channel = channel
        self.instanceID = instanceID
        self.logger = logger
    }

    func setHandler(_ handler: (@Sendable (Set<String>) -> Void)?) { state.withLock { $0.handler = handler } }

    func start() {
        let task = Task(executorPreference: BridgeExecutor.shared) { [self] in await listenLoop() }
        let stale = state.withLock { s -> Task<Void, Never>? in
            if s.stopped { return task }
            s.task = task
            return nil
        }
        stale?.cancel()
    }

    func stop() {
        let task = state.withLock { s in
            s.stopped = true
            return s.task
        }
        task?.cancel()
    }

    private func listenLoop() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: -1, logger: logger)
                failures = 0
                do {
                    try await connection.listen(on: channel) { notifications in
                        for try await notification in notifications { deliver(notification.payload) }
                    }
                } catch {
                    if !Task.isCancelled { logger.debug("LISTEN \(channel) ended: \(PostgresErrors.describe(error))") }
                }
                try? await connection.close()
            } catch {
                failures += 1
                if failures == 1 { logger.warning("LISTEN \(channel): cannot connect (retrying): \(PostgresErrors.describe(error))") }
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    private func deliver(_ payload: String) {
        let parts = payload.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, parts[0] != instanceID else { return }
        let backends = Set(parts[1].split(separator: ",").map(String.init))
        state.withLock { $0.handler }?(backends)
    }
}
