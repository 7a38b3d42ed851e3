/// The names a condition may use, known when rules load: the deployment's attribution keys and
/// budget names. Checking against them turns a typo into a load error instead of a rule that
/// silently never fires.
public struct ExpressionVariables: Sendable, Equatable {
    /// Attribution keys usable by bare name (`team`) and as `attribution.team`.
    public let attributionKeys: [String]
    /// Budget names accepted by `budget_ratio("…")`. ``ExpressionContext/budgetRatios`` holds
    /// their ratios in this order.
    public let budgetNames: [String]

    public init(attributionKeys: [String] = AttributionSchema.standard.allowedKeys, budgetNames: [String] = []) {
        self.attributionKeys = attributionKeys
        self.budgetNames = budgetNames
    }

    public init(schema: AttributionSchema, budgetNames: [String]) {
        self.init(attributionKeys: schema.allowedKeys, budgetNames: budgetNames)
    }

    /// The request fields every condition can read, by name. A bare name refers to these
    /// before attribution keys; `attribution.<key>` always reaches the label.
    static let builtins: [(name: String, variable: BuiltinVariable)] = [
        ("provider", .provider), ("model", .model),
        ("estimated_input_tokens", .estimatedInputTokens), ("max_output_tokens", .maxOutputTokens),
        ("estimated_tokens", .estimatedTokens), ("estimated_cost", .estimatedCost),
        ("hour", .hour), ("minute", .minute), ("weekday", .weekday),
    ]

    static let functions = ["has", "budget_ratio", "lower", "starts_with"]

    enum BuiltinVariable {
        case provider, model, weekday
        case estimatedInputTokens, maxOutputTokens, estimatedTokens, estimatedCost, hour, minute
    }

    /// What a variable name refers to, or nil when it is unknown.
    enum Resolved {
        case builtin(BuiltinVariable)
        case label(String)
    }

    func resolve(_ name: String) -> Resolved? {
        if let builtin = Self.builtins.first(where: { $0.name == name }) { return .builtin(builtin.variable) }
        if attributionKeys.contains(name) { return .label(name) }
        if name.hasPrefix("attribution.") {
            let key = String(name.dropFirst("attribution.".count))
            if attributionKeys.contains(key) { return .label(key) }
        }
        return nil
    }

    /// Every valid variable name, for "did you mean" suggestions.
    var allNames: [String] {
        Self.builtins.map(\.name) + attributionKeys + attributionKeys.map { "attribution." + $0 }
    }
}

/// The closest candidate to a misspelt `name` (edit distance at most 2, and less than half of
/// the name), for "did you mean" hints.
package func closestName(to name: String, among candidates: [String]) -> String? {
    let target = Array(name.unicodeScalars)
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let distance = editDistance(target, Array(candidate.unicodeScalars))
        if distance <= 2, distance * 2 < max(target.count, 2), best.map({ distance < $0.distance }) ?? true {
            best = (candidate, distance)
        }
    }
    return best?.name
}

/// Levenshtein distance, with a transposition counted as one edit (`taem` → `team`).
private func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previousPrevious[j - 2] + 1)
            }
        }
        (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[b.count]
}
