import WardenCore

/// Readers for the value kinds of `tokenwarden.yaml`: durations and byte sizes within bounds.
/// The bounds are written as the user writes them, so the message quotes them as they are read.
extension YAMLObject {
    /// A duration (`5m`, `1h30m`) from `lower` to `upper` (no upper bound when nil).
    func duration(_ key: String, from lower: String, to upper: String?, example: String) -> RuleDuration? {
        guard let text = string(key), let node = value(key) else { return nil }
        let minimum = (try? RuleDuration(parsing: lower))?.nanoseconds ?? 0
        let maximum = upper.flatMap { try? RuleDuration(parsing: $0) }?.nanoseconds ?? Int64.max
        if let duration = try? RuleDuration(parsing: text), (minimum...maximum).contains(duration.nanoseconds) {
            return duration
        }
        let bounds = upper.map { "between \(lower) and \($0)" } ?? "of at least \(lower)"
        diagnostics.error("\(child(key)) must be a duration \(bounds) such as \(example), not \"\(text)\"", at: node)
        return nil
    }

    /// A size in bytes (`8MiB`, see ``ByteSize``) from `lower` to `upper`.
    func byteSize(_ key: String, from lower: String, to upper: String, example: String) -> Int? {
        guard let text = string(key), let node = value(key) else { return nil }
        if let bytes = ByteSize.parse(text), (ByteSize.parse(lower) ?? 0)...(ByteSize.parse(upper) ?? Int.max) ~= bytes {
            return bytes
        }
        diagnostics.error("\(child(key)) must be a size between \(lower) and \(upper) such as \(example), not \"\(text)\"", at: node)
        return nil
    }
}
