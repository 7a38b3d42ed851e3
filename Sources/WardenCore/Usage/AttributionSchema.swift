/// Which attribution keys a deployment accepts, and which of them become Prometheus labels.
///
/// Why two lists: every key is kept in SQLite for finance exports, but only a few are safe as
/// metric labels (a `session` or `user` label would explode series cardinality), so /metrics
/// aggregates the others away.
public struct AttributionSchema: Sendable, Equatable {
    /// The keys every deployment recognises.
    public static let standardKeys = ["org", "team", "project", "user", "agent", "session", "feature", "environment"]
    /// The keys exposed as metric labels unless configured otherwise.
    public static let defaultLabelKeys = ["org", "team", "project", "agent"]

    /// Keys accepted in an event's `attribution`, sorted.
    public let allowedKeys: [String]
    /// Keys exposed as Prometheus labels, in exposition order.
    public let labelKeys: [String]
    /// The keys accepted besides ``standardKeys`` (`attribution.extra_keys`), in declared order,
    /// each once: the order a deployment chose is the order dashboards list them in.
    public let extraKeys: [String]

    public struct Error: Swift.Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public init(extraKeys: [String] = [], labelKeys: [String] = AttributionSchema.defaultLabelKeys) throws(Error) {
        var keys = AttributionSchema.standardKeys
        for key in extraKeys where !keys.contains(key) {
            guard AttributionSchema.isValidKey(key) else {
                throw Error(message: "attribution key \"\(key)\" is not a valid label name (use [a-z_][a-z0-9_]*)")
            }
            keys.append(key)
        }
        for key in labelKeys where !keys.contains(key) {
            throw Error(message: "label key \"\(key)\" is not a recognised attribution key")
        }
        let reserved = ["provider", "model", "kind", "currency", "le", "quantile", "reason", "version"]
        for key in labelKeys where reserved.contains(key) {
            throw Error(message: "attribution key \"\(key)\" clashes with a built-in metric label")
        }
        allowedKeys = keys.sorted()
        self.labelKeys = labelKeys
        self.extraKeys = Array(keys.dropFirst(AttributionSchema.standardKeys.count))
    }

    public static let standard = try! AttributionSchema()

    public func allows(_ key: String) -> Bool { allowedKeys.contains(key) }

    /// Attribution key names follow Prometheus label-name rules, lower case, and may not start
    /// with `__` (reserved by Prometheus).
    public static func isValidKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !key.hasPrefix("__") else { return false }
        guard first == UInt8(ascii: "_") || (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) else { return false }
        return key.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
    }
}
