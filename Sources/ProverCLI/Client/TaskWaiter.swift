import ArgumentParser
import Foundation

/// Follows one task to a final state by polling `GET /v1/tasks/{id}`, with a live progress
/// line: on a terminal one line rewritten in place (`\r`), otherwise one line per transition
/// (state or attempt). Retryable daemon errors (429, 503) are ridden out; anything else ends
/// the wait.
struct TaskWaiter {
    let client: DaemonClient
    let interval: Duration
    let timeout: Duration?
    /// Whether standard output is a terminal (rewrite one line) or not (a line per transition).
    var interactive = isatty(STDOUT_FILENO) == 1

    /// The final task, once completed. A failed or cancelled task throws
    /// `ClientVerbError.taskEnded`; running past `timeout` throws `ClientVerbError.timedOut`.
    func wait(_ id: String) async throws -> [String: Any] {
        let start = ContinuousClock.now
        var lastKey = ""
        var lastLength = 0
        while true {
            guard let task = try await poll(id) else {
                try await Task.sleep(for: max(interval, .milliseconds(500)))
                continue
            }
            let state = TaskText.string(task["state"])
            let elapsed = ContinuousClock.now - start
            let line = progress(task, elapsed: elapsed)
            let key = "\(state)/\(TaskText.string(task["attempt"]))"
            if interactive {
                let pad = String(repeating: " ", count: max(0, lastLength - line.count))
                FileHandle.standardOutput.write(Data("\r\(line)\(pad)".utf8))
                lastLength = line.count
            } else if key != lastKey {
                emit(line)
            }
            lastKey = key
            switch state {
            case "completed":
                if interactive { emit("") }
                return task
            case "failed", "cancelled":
                if interactive { emit("") }
                throw ClientVerbError.taskEnded(id: id, state: state, error: TaskText.error(task))
            default:
                break
            }
            if let timeout, elapsed >= timeout {
                if interactive { emit("") }
                throw ClientVerbError.timedOut(id: id, state: state, after: timeout)
            }
            try await Task.sleep(for: interval)
        }
    }

    /// The task, or nil after a retryable daemon error (429, 503, …).
    private func poll(_ id: String) async throws(DaemonClientError) -> [String: Any]? {
        do {
            return try await client.task(id)
        } catch {
            if error.retryable { return nil }
            throw error
        }
    }

    /// `ID TYPE: STATE [attempt N] [details] (T s)`.
    func progress(_ task: [String: Any], elapsed: Duration) -> String {
        let state = TaskText.string(task["state"])
        var line = "\(TaskText.string(task["id"])) \(TaskText.string(task["type"])): \(state)"
        let attempt = task["attempt"] as? Int ?? 0
        if attempt > 0, state != "pending", state != "waiting" { line += " (attempt \(attempt))" }
        switch state {
        case "waiting":
            let deps = (task["dependencies"] as? [String])?.count ?? 0
            line += " on \(deps) dependenc\(deps == 1 ? "y" : "ies")"
        case "retrying":
            if let next = task["next_run_at"] as? String { line += ", next at \(next)" }
            if let error = TaskText.error(task) { line += ", last error \(error)" }
        default:
            break
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return line + String(format: " (%.1f s)", seconds)
    }
}

/// How a client verb ends when the daemon answered but the outcome is not success.
enum ClientVerbError: Error, CustomStringConvertible {
    case taskEnded(id: String, state: String, error: String?)
    case timedOut(id: String, state: String, after: Duration)
    case io(String)

    var description: String {
        switch self {
        case .taskEnded(let id, let state, let error): "task \(id) \(state)\(error.map { ": \($0)" } ?? "")"
        case .timedOut(let id, let state, let after): "task \(id) is still \(state) after \(after) (--timeout)"
        case .io(let detail): detail
        }
    }
}

/// Exit statuses of the client verbs: 0 success, 1 an error or a failed/cancelled task,
/// 2 `--timeout` passed first (the task goes on).
enum ClientExit {
    static let timedOut = ExitCode(2)

    /// Runs a verb; errors are printed as `Error: …` on standard error with the right status.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ClientVerbError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            if case .timedOut = error { throw timedOut }
            throw ExitCode.failure
        } catch let error as DaemonClientError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
