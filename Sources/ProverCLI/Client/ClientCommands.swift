import ArgumentParser
import Foundation
import ProverCore

/// `prover submit TYPE CONTEXT_JSON`: submits a task to a running daemon and prints its id and
/// state (`--wait`: then follows it like `prover wait`).
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a task to a running daemon; print its id and state.")

    @Argument(help: "Proof type (GET /v1/proof-types lists them).")
    var type: String

    @Argument(help: "Context as JSON, e.g. '{\"rows\": 64}'.")
    var context: String

    @Option(help: "Backend (worker pool); the daemon's default is cpu.")
    var backend: String?

    @Option(help: "Priority in -1000…1000 (higher first).")
    var priority: Int?

    @Flag(help: "Follow the task until it finishes, like prover wait.")
    var wait = false

    @Option(help: "With --wait: give up after this many seconds (exit 2).")
    var timeout: Double?

    @Flag(help: "Print the daemon's JSON answer.")
    var json = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard (try? JSONSerialization.jsonObject(with: Data(context.utf8), options: [.fragmentsAllowed])) != nil else {
            throw ValidationError("CONTEXT_JSON is not JSON: \(context.prefix(200))")
        }
        if let priority, !(-1000...1000).contains(priority) { throw ValidationError("--priority must be in -1000…1000") }
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        try await ClientExit.run {
            let daemon = try client.client()
            let value = try JSONSerialization.jsonObject(with: Data(context.utf8), options: [.fragmentsAllowed])
            let task = try await daemon.submit(type: type, context: value, backend: backend, priority: priority)
            if json { emit(TaskText.json(task)) } else { emit("\(TaskText.string(task["id"])) \(TaskText.string(task["state"]))") }
            guard wait, let id = task["id"] as? String else { return }
            _ = try await TaskWaiter(client: daemon, interval: .milliseconds(250), timeout: timeout.map { .seconds($0) }).wait(id)
        }
    }
}

/// `prover status ID`: one task, every field (or the JSON).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a task of a running daemon.")

    @Argument(help: "Task id (32 hex digits).")
    var id: String

    @Flag(help: "Print the daemon's JSON answer.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await ClientExit.run {
            let task = try await client.client().task(id)
            emit(json ? TaskText.json(task) : TaskText.details(task))
        }
    }
}

/// `prover wait ID`: follows a task to its end; exit 0 when it completed.
struct WaitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Follow a task until it finishes: exit 0 when completed, 1 when failed or cancelled, 2 on --timeout.")

    @Argument(help: "Task id (32 hex digits).")
    var id: String

    @Option(help: "Give up after this many seconds (exit 2; the task goes on).")
    var timeout: Double?

    @Option(help: "Seconds between status polls.")
    var interval: Double = 0.25

    @OptionGroup var client: ClientOptions

    func validate() throws {
        if let timeout, timeout <= 0 { throw ValidationError("--timeout must be positive") }
        guard interval >= 0.01 else { throw ValidationError("--interval must be at least 0.01") }
    }

    func run() async throws {
        try await ClientExit.run {
            _ = try await TaskWaiter(client: client.client(), interval: .seconds(interval), timeout: timeout.map { .seconds($0) }).wait(id)
        }
    }
}

/// `prover get ID --out F [--receipt R]`: downloads a completed task's proof (verified by the
/// daemon before it is sent) and optionally its receipt, whose digest is checked against the
/// downloaded bytes.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Download a completed task's proof (and optionally its receipt) from a running daemon.")

    @Argument(help: "Task id (32 hex digits).")
    var id: String

    @Option(help: "Where to write the proof bytes.")
    var out: String

    @Option(help: "Where to write the receipt JSON (public outputs, digest, metadata).")
    var receipt: String?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await ClientExit.run {
            let daemon = try client.client()
            let proof = try await daemon.proof(id)
            var note = ""
            if let receiptPath = receipt {
                let reply = try await daemon.receipt(id)
                let digest = (try reply.object())["proof_blake3"] as? String
                guard digest == Blake3.hash([UInt8](proof)).hex else {
                    throw ClientVerbError.io("the proof's BLAKE3 digest does not match the receipt's (\(digest ?? "none"))")
                }
                try write(reply.body, to: receiptPath)
                note = ", receipt → \(receiptPath)"
            }
            try write(proof, to: out)
            emit("\(id): \(proof.count) bytes → \(out)\(note)")
        }
    }

    private func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ClientVerbError.io("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// `prover cancel ID`: cancels a task (queued at once, proving cooperatively).
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a task of a running daemon.")

    @Argument(help: "Task id (32 hex digits).")
    var id: String

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await ClientExit.run {
            let task = try await client.client().cancel(id)
            emit("\(TaskText.string(task["id"])) \(TaskText.string(task["state"]))")
        }
    }
}

/// `prover list [--state S] [--type T] [--limit N] [--cursor C]`: one line per task; the
/// cursor of the next page, if any, on standard error.
struct ListTasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tasks of a running daemon.")

    @Option(help: "Only tasks in these states (comma-separated, e.g. queued,proving).")
    var state: String?

    @Option(help: "Only tasks of this proof type.")
    var type: String?

    @Option(help: "Only tasks of this backend.")
    var backend: String?

    @Option(help: "At most this many tasks (1…1000).")
    var limit: Int?

    @Option(help: "Continue from a previous page's cursor.")
    var cursor: String?

    @Flag(help: "Print the daemon's JSON answer.")
    var json = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        if let limit, !(1...1000).contains(limit) { throw ValidationError("--limit must be in 1…1000") }
    }

    func run() async throws {
        try await ClientExit.run {
            var query: [URLQueryItem] = []
            if let state { query.append(URLQueryItem(name: "state", value: state)) }
            if let type { query.append(URLQueryItem(name: "type", value: type)) }
            if let backend { query.append(URLQueryItem(name: "backend", value: backend)) }
            if let limit { query.append(URLQueryItem(name: "limit", value: String(limit))) }
            if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
            let page = try await client.client().list(query)
            if json {
                emit(TaskText.json(page))
                return
            }
            for task in page["tasks"] as? [[String: Any]] ?? [] { emit(TaskText.line(task)) }
            if let next = page["next_cursor"] as? String {
                FileHandle.standardError.write(Data("next cursor: \(next)\n".utf8))
            }
        }
    }
}
