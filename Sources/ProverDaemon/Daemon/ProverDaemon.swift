import Foundation
import Hummingbird
public import Logging
public import Devnet
import PluginHost
import ProverCore
public import ProverService
import ProverServicePostgres
import ServiceLifecycle

/// `prover serve`: the orchestration service behind a hardened HTTP/JSON API (docs/daemon.md).
///
/// Owns a `ProverService` over the SQLite store in `dataDirectory` (or the PostgreSQL store of
/// `storeURL`, shared with other nodes), the catalog of proof types
/// (the built-in reference STARKs plus whatever the caller adds, e.g. plugins), and the
/// Hummingbird application. `run` serves until SIGTERM/SIGINT (or cancellation), then stops
/// accepting requests, lets in-flight proofs finish within the grace period and requeues the
/// rest.
public final class ProverDaemon: Sendable {
    public let configuration: DaemonConfiguration
    public let service: ProverService
    public let catalog: ProofTypeCatalog
    let readiness = Readiness()
    let runnerStatus = CheckpointRunnerStatus()
    let logger: Logger

    /// The chain source for the JSON-RPC methods and the runner.
    let chain: ChainClient

    /// The embedded devnet: the chain source unless `chain_rpc` names an external one.
    public let devnet: Devnet

    /// Where the plugins, the JSON-RPC methods and the checkpoint runner read the chain: the
    /// embedded devnet, or a `JSONRPCChainSource` over `chain_rpc`.
    public let chainSource: any ChainSource

    /// Validates the configuration, opens (or creates) the store, builds the devnet and loads
    /// the plugins of `pluginDirectory` (default: beside the executable). `proofTypes` adds more.
    public init(configuration: DaemonConfiguration, proofTypes: [any DaemonProofType] = [], logger: Logger? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        let logger = logger ?? Logger(label: "prover.daemon")
        self.logger = logger
        let parameters = configuration.starkParameters!
        let devnet = Devnet(seed: configuration.devnetSeed, checkpoints: configuration.devnetCheckpoints)
        self.devnet = devnet
        let source: any ChainSource = configuration.chainRPC.flatMap { URL(string: $0) }.map { JSONRPCChainSource(url: $0) } ?? devnet
        chainSource = source
        chain = ChainClient { method, params in try source.fetch(method: method, params: params) }
        // Every proof on the cpu pool takes its prover threads from one budget: all cores for a
        // proof running alone, one each when as many run as there are cores.
        let budget = ThreadBudget()
        let plugins = DaemonPlugins.load(
            directory: configuration.pluginDirectory ?? PluginHost.executableDirectory, chain: source, parameters: parameters,
            threadBudget: budget, log: { logger.warning("\($0)") })
        catalog = try ProofTypeCatalog(
            ReferenceProofTypes.all(parameters: parameters, threadBudget: budget) + plugins.types + proofTypes)
        var serviceConfiguration = ServiceConfiguration(
            workers: configuration.workers,
            defaultTimeout: configuration.taskTimeoutSeconds.map { .seconds($0) })
        let store: any CombinedStore
        if let url = configuration.storeURL {
            let postgres: PostgresStore
            do {
                postgres = try PostgresStore(url: url, logger: logger)
            } catch {
                throw DaemonError.storeUnavailable("\(error)")
            }
            store = postgres
            // Several nodes share the store: each owns its claims under a unique id.
            serviceConfiguration.ownerID = ServiceConfiguration.uniqueNodeID()
            logger.info("PostgreSQL store", metadata: ["store": "\(postgres.url)", "node": "\(serviceConfiguration.ownerID)"])
        } else {
            do {
                try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
                store = try SQLiteStore(path: configuration.dataDirectory + "/tasks.sqlite")
            } catch {
                throw DaemonError.storeUnavailable("\(configuration.dataDirectory)/tasks.sqlite: \(error)")
            }
        }
        service = ProverService(
            configuration: serviceConfiguration,
            handlers: catalog.handlers, taskStore: store, proofStore: store)
    }

    /// Whether the checkpoint runner runs: configured, and a checkpoint proof type is loaded.
    var runsCheckpoints: Bool { configuration.checkpointRunner && catalog[RPCMethods.checkpointProofType] != nil }

    /// The router with every route and middleware (exposed for tests).
    func makeRouter() -> Router<DaemonRequestContext> {
        let router = Router(context: DaemonRequestContext.self)
        router.add(middleware: APIErrorMiddleware())
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: RequestLimitsMiddleware(
            maxBodyBytes: configuration.maxBodyBytes, timeout: .seconds(configuration.requestTimeoutSeconds)))
        router.add(middleware: APIKeyMiddleware(keys: configuration.apiKeys))
        router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(
            ratePerSecond: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst)))
        HealthRoutes(
            service: service, readiness: readiness, metrics: DaemonMetrics.shared,
            runner: runsCheckpoints ? runnerStatus : nil
        ).add(to: router)
        let tasks = TaskRoutes(service: service, catalog: catalog, configuration: configuration)
        tasks.add(to: router)
        RPCRoutes(methods: RPCMethods(tasks: tasks, chain: chain), maxBodyBytes: configuration.maxBodyBytes).add(to: router)
        EventRoutes(service: service).add(to: router)
        OpenAPIDocument.add(to: router)
        return router
    }

    /// Serves until SIGTERM/SIGINT or until the calling task is cancelled. `onListening`
    /// receives the bound port (useful with port 0).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let logger = self.logger
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "prover"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
                await onListening(port)
            },
            logger: logger)
        let lifecycle = ServiceRunner(daemon: self)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: lifecycle), .init(service: app)]
        if runsCheckpoints {
            let tasks = TaskRoutes(service: service, catalog: catalog, configuration: configuration)
            services.append(.init(service: CheckpointRunner(
                tasks: tasks, chain: chain, poll: .seconds(configuration.checkpointPollSeconds),
                status: runnerStatus, logger: logger)))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Starts the ProverService (recovery, workers), marks the daemon ready, prunes finished
/// tasks hourly, and on graceful shutdown marks it not ready and drains the workers.
struct ServiceRunner: Service {
    let daemon: ProverDaemon

    func run() async throws {
        try daemon.service.start()
        daemon.readiness.set(true)
        let retention = daemon.configuration.retentionDays
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if let days = retention {
                    do {
                        try daemon.service.prune(olderThan: .seconds(days * 86_400))
                    } catch {
                        daemon.logger.error("pruning failed", metadata: ["error": "\(error)"])
                    }
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        daemon.readiness.set(false)
        await daemon.service.shutdown(gracePeriod: .seconds(daemon.configuration.shutdownGraceSeconds))
    }
}
