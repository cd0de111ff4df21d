import Foundation

/// The configuration from its layers: embedded defaults, then a JSON file, then `PROVER_*`
/// environment variables (then the caller's flags on top). Every file key `k` has the variable
/// `PROVER_` + `k` uppercased (`port` → `PROVER_PORT`, `chain_rpc` → `PROVER_CHAIN_RPC`), so a
/// new key gets its variable for free; `PROVER_DATA_DIR` and `PROVER_PLUGIN_DIR` are accepted
/// as short names. Values are read as the key's type: JSON where it parses (`8080`, `true`,
/// `{"cpu": 2}`), `name=value,…` for the maps (`workers`, `api_keys`), a bare number for
/// `workers` (the cpu pool), and text otherwise. An empty variable counts as unset.
extension DaemonConfiguration {
    /// Where each key's value came from: `file PATH` or `env PROVER_…` (flags are the caller's).
    public typealias Origins = [String: String]

    /// `PROVER_*` variables read elsewhere (the client verbs, `--config`'s default, the field
    /// backend switch): not configuration keys, and not reported as unknown.
    public static let otherEnvironmentVariables: Set<String> = ["PROVER_URL", "PROVER_API_KEY", "PROVER_CONFIG", "PROVER_FIELD_BACKEND"]

    /// Short names accepted beside the derived ones.
    static let environmentAliases = ["PROVER_DATA_DIR": "data_directory", "PROVER_PLUGIN_DIR": "plugin_directory"]

    /// Keys whose values are secret: never echoed in errors, redacted when printed.
    public static let secretKeys: Set<String> = ["api_keys"]

    /// The variable of a file key.
    public static func environmentVariable(for key: String) -> String { "PROVER_" + key.uppercased() }

    /// The file (if any) over the defaults, then the environment over both; not validated
    /// (`validate()` does that once flags are applied too). Errors name the file or variable
    /// and the key.
    public static func resolve(file: String?, environment: [String: String]) throws(DaemonError) -> (DaemonConfiguration, Origins) {
        var merged: [String: Any] = [:]
        var origins: Origins = [:]
        if let file {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw .invalidConfiguration("cannot read \(file): \(error.localizedDescription)")
            }
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw .invalidConfiguration("\(file): not a JSON object")
            }
            _ = try decode(object, source: file)  // errors attributed to the file
            merged = object
            for key in object.keys { origins[key] = "file \(file)" }
        }
        for (key, entry) in try environmentLayer(environment) {
            merged[key] = entry.1
            origins[key] = "env \(entry.0)"
        }
        return (try decode(merged, source: "configuration"), origins)
    }

    /// The configuration keys the environment sets: key → (variable, JSON value).
    public static func environmentLayer(_ environment: [String: String]) throws(DaemonError) -> [String: (String, Any)] {
        var layer: [String: (String, Any)] = [:]
        let names = CodingKeys.allStringValues.map { (environmentVariable(for: $0), $0) } + environmentAliases.map { ($0.key, $0.value) }
        for (variable, key) in names.sorted(by: { $0.0 < $1.0 }) {
            guard let text = environment[variable], !text.isEmpty else { continue }
            if case let (other, _)? = layer[key] {
                throw .invalidConfiguration("\(other) and \(variable) both set \(key): set one")
            }
            layer[key] = (variable, try environmentValue(text, key: key, variable: variable))
        }
        return layer
    }

    /// `PROVER_*` variables that are neither configuration keys nor read elsewhere (typos).
    public static func unknownEnvironmentVariables(_ environment: [String: String]) -> [String] {
        let known = Set(CodingKeys.allStringValues.map(environmentVariable(for:))).union(environmentAliases.keys).union(otherEnvironmentVariables)
        return environment.keys.filter { $0.hasPrefix("PROVER_") && !known.contains($0) }.sorted()
    }

    /// The first reading of `text` that decodes as `key`'s type.
    private static func environmentValue(_ text: String, key: String, variable: String) throws(DaemonError) -> Any {
        var candidates: [Any] = []
        if key == CodingKeys.workers.rawValue, let n = Int(text) { candidates.append(["cpu": n]) }
        if let json = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) { candidates.append(json) }
        if text.contains("=") {
            var map: [String: Any] = [:]
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty else { map = [:]; break }
                map[parts[0]] = Int(parts[1]).map { $0 as Any } ?? parts[1]
            }
            if !map.isEmpty { candidates.append(map) }
        }
        candidates.append(text)
        var lastError = ""
        for candidate in candidates {
            do {
                _ = try decode([key: candidate], source: variable)
                return candidate
            } catch {
                lastError = error.detail
            }
        }
        let shown = secretKeys.contains(key) ? "" : " (got \"\(text.prefix(64))\")"
        throw .invalidConfiguration("\(lastError)\(shown)")
    }

    /// Decodes a JSON object with the strict decoder; errors name `source` and the key.
    private static func decode(_ object: [String: Any], source: String) throws(DaemonError) -> DaemonConfiguration {
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            return try JSONDecoder().decode(DaemonConfiguration.self, from: data)
        } catch let error as DaemonError {
            throw .invalidConfiguration("\(source): \(error.detail)")
        } catch DecodingError.typeMismatch(let type, let context) {
            throw .invalidConfiguration("\(source): \(keyPath(context)) must be \(describe(type, key: keyPath(context)))")
        } catch DecodingError.dataCorrupted(let context) {
            throw .invalidConfiguration("\(source): \(keyPath(context)) is out of range or malformed")
        } catch {
            throw .invalidConfiguration("\(source): \(error)")
        }
    }

    private static func keyPath(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }

    private static func describe(_ type: Any.Type, key: String) -> String {
        switch key {
        case CodingKeys.workers.rawValue: return "a map of integers (name=N,… or a JSON object)"
        case CodingKeys.apiKeys.rawValue: return "a map of strings (name=value,… or a JSON object)"
        default: break
        }
        return switch type {
        case is Int.Type, is UInt64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        default: "\(type)"
        }
    }

    /// The configuration as JSON (sorted keys, every key present), secrets redacted: API key
    /// digests become `"<redacted>"`, and credentials in any URL value (`chain_rpc`, or a
    /// store's connection string) are removed.
    public var redactedJSON: String {
        var object: [String: Any] = [:]
        if let data = try? JSONEncoder().encode(self), let decoded = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            object = decoded
        }
        for key in CodingKeys.allStringValues where object[key] == nil { object[key] = NSNull() }
        for key in Self.secretKeys {
            if let values = object[key] as? [String: Any] { object[key] = values.mapValues { _ in "<redacted>" } }
        }
        let data = (try? JSONSerialization.data(withJSONObject: Self.withoutCredentials(object), options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// `value` with the user and password of every URL string in it replaced.
    static func withoutCredentials(_ value: Any) -> Any {
        switch value {
        case let text as String:
            guard text.contains("@"), var components = URLComponents(string: text), components.scheme != nil,
                components.user != nil || components.password != nil
            else { return text }
            components.user = "redacted"
            components.password = nil
            return components.string ?? "<redacted>"
        case let object as [String: Any]:
            return object.mapValues(withoutCredentials)
        case let array as [Any]:
            return array.map(withoutCredentials)
        default:
            return value
        }
    }
}
