import Foundation

/// How the client verbs print tasks (the daemon's task JSON, docs/api.md).
enum TaskText {
    static func string(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: ""
        case let s as String: s
        case let value?:
            (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }
    }

    /// `{code}: {message}` of a task's last error, if any.
    static func error(_ task: [String: Any]) -> String? {
        guard let e = task["error"] as? [String: Any] else { return nil }
        return "\(string(e["code"])): \(string(e["message"]))"
    }

    /// One line: id, state, type, context.
    static func line(_ task: [String: Any]) -> String {
        let state = string(task["state"])
        let padded = state.padding(toLength: max(state.count, 9), withPad: " ", startingAt: 0)
        return "\(string(task["id"]))  \(padded)  \(string(task["type"])) \(string(task["context"]))"
    }

    /// Every field, one per line.
    static func details(_ task: [String: Any]) -> String {
        var rows: [(String, String)] = [
            ("id", string(task["id"])), ("type", string(task["type"])), ("state", string(task["state"])),
            ("context", string(task["context"])), ("backend", string(task["backend"])),
            ("priority", string(task["priority"])), ("attempt", string(task["attempt"])),
            ("created", string(task["created_at"])), ("updated", string(task["updated_at"])),
        ]
        if let deps = task["dependencies"] as? [String], !deps.isEmpty { rows.append(("dependencies", deps.joined(separator: " "))) }
        if let next = task["next_run_at"] as? String { rows.append(("next run", next)) }
        if let error = error(task) { rows.append(("error", error)) }
        return rows.map { "\($0.0):".padding(toLength: 14, withPad: " ", startingAt: 0) + $0.1 }.joined(separator: "\n")
    }

    /// The daemon's JSON, sorted and indented (for `--json`).
    static func json(_ object: Any) -> String {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// Writes a line to standard output at once (unbuffered, so it interleaves correctly with
/// the progress line and with standard error).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
