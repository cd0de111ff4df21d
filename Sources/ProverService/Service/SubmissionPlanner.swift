import Foundation

/// Expands a request into its dependency graph: canonicalizes every context, derives ids,
/// rejects unknown proof types, invalid contexts, unsupported backends and cycles, and
/// returns the tasks ordered dependencies first (the requested task last).
struct SubmissionPlanner {
    let registry: HandlerRegistry
    let backends: Set<String>
    let defaultTimeout: Duration?
    let now: Date

    private var order: [TaskRecord] = []
    private var done: Set<TaskID> = []
    private var visiting: Set<TaskID> = []

    init(registry: HandlerRegistry, backends: Set<String>, defaultTimeout: Duration?, now: Date) {
        self.registry = registry
        self.backends = backends
        self.defaultTimeout = defaultTimeout
        self.now = now
    }

    /// Adds a request's graph to the plan; returns the id of the requested task.
    @discardableResult
    mutating func add(_ request: ProofRequest) throws -> TaskID {
        let handler = try registry.require(request.proofType)
        if let supported = handler.supportedBackends, !supported.contains(request.backend) {
            throw ProverServiceError.unsupportedBackend.with("\(request.proofType) does not run on backend '\(request.backend)'")
        }
        guard backends.contains(request.backend) else {
            throw ProverServiceError.unsupportedBackend.with("no worker pool for backend '\(request.backend)'")
        }
        let canonical: [UInt8]
        do {
            canonical = try handler.canonicalize(request.context)
        } catch {
            throw ProverServiceError.invalidContext.with("\(request.proofType): \(error)")
        }
        let id = TaskID(proofType: request.proofType, canonicalContext: canonical, backend: request.backend)
        if done.contains(id) { return id }
        guard !visiting.contains(id) else {
            throw ProverServiceError.dependencyCycle.with("task \(id) (\(request.proofType)) depends on itself")
        }
        visiting.insert(id)
        let dependencyRequests: [ProofRequest]
        do {
            dependencyRequests = try handler.dependencies(of: canonical)
        } catch {
            throw ProverServiceError.invalidContext.with("\(request.proofType) dependencies: \(error)")
        }
        var dependencies: [TaskID] = []
        for dependency in dependencyRequests {
            let depID = try add(dependency)
            if !dependencies.contains(depID) { dependencies.append(depID) }
        }
        visiting.remove(id)
        done.insert(id)
        order.append(TaskRecord(
            id: id, proofType: request.proofType, backend: request.backend, context: canonical,
            priority: request.priority, dependencies: dependencies,
            timeoutSeconds: (request.timeout ?? defaultTimeout)?.seconds, createdAt: now))
        return id
    }

    /// The planned tasks, dependencies first.
    var tasks: [TaskRecord] { order }
}
