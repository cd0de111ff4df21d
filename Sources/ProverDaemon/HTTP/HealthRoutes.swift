import Foundation
import Hummingbird
import Prometheus
import ProverService

/// `/healthz` (liveness with queue depth and busy workers), `/readyz` (503 until the service
/// has recovered its store and started its workers, and while shutting down), `/metrics`
/// (Prometheus text format).
struct HealthRoutes: Sendable {
    let service: ProverService
    let readiness: Readiness
    let metrics: DaemonMetrics
    let runner: CheckpointRunnerStatus?

    func add(to router: Router<DaemonRequestContext>) {
        router.get("healthz") { _, _ in
            let counts = try mapServiceErrors { try service.summary().counts }
            let depth = queueDepth(counts)
            var body: [String: Any] = [
                "status": "ok", "queue_depth": depth, "workers_busy": counts[.proving] ?? 0,
                "workers": service.configuration.workers,
            ]
            if let runner { body["checkpoint_runner"] = runner.json }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try TaskJSON.encode(body))))
        }
        router.get("readyz") { _, _ in
            guard readiness.isReady else { throw APIError(.sourceUnavailable, "not ready", retryAfterSeconds: 1) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"status\":\"ready\"}")))
        }
        router.get("metrics") { _, _ in
            metrics.updateTaskGauges(try mapServiceErrors { try service.summary().counts })
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
    }
}

/// Whether the daemon accepts traffic.
final class Readiness: Sendable {
    private let ready = Mutex(false)
    var isReady: Bool { ready.withLock { $0 } }
    func set(_ value: Bool) { ready.withLock { $0 = value } }
}

import Synchronization
import Metrics

/// The daemon's Prometheus registry. swift-metrics is bootstrapped with it once per process
/// (Hummingbird's `MetricsMiddleware` records request counts and durations through it); the
/// task gauges are refreshed from the store at each scrape.
final class DaemonMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    static let shared: DaemonMetrics = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return DaemonMetrics(registry: registry)
    }()

    private init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    /// `prover_tasks{state="…"}`.
    static var tasks: MetricNameDescriptor { MetricNameDescriptor(metricName: "prover", unitName: "tasks", helpText: "Tasks per state") }

    func updateTaskGauges(_ counts: [TaskState: Int]) {
        for state in TaskState.allCases {
            registry.makeGauge(descriptor: Self.tasks, labels: [("state", state.rawValue)]).set(Double(counts[state] ?? 0))
        }
    }
}
