import WardenCore
import Yams

/// Readers for the value kinds budgets, quotas and policies share: scopes, `per` lists,
/// durations, percentages and counts. Each reports its own errors and returns nil for a value
/// that is absent or wrong.
extension RuleSetReader {
    /// `scope: {org: acme, agent: "*", team: {regex: "search-.*"}}`; absent means every request.
    func scope(_ item: YAMLObject, in file: RuleFile) -> ScopeMatcher {
        let path = item.child("scope")
        guard let node = item.value("scope") else { return .everything }
        guard let mapping = node.mapping else {
            file.diagnostics.error("\(path) must be a mapping of attribution labels such as {org: acme}", at: node)
            return .everything
        }
        var conditions: [(key: String, condition: ScopeMatcher.Condition)] = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                file.diagnostics.error("\(path): labels must be strings", at: keyNode)
                continue
            }
            let key = keyScalar.string
            guard checkLabel(key, at: keyNode, path: path, in: file) else { continue }
            guard !conditions.contains(where: { $0.key == key }) else {
                file.diagnostics.error("\(path): duplicate label \"\(key)\"", at: keyNode)
                continue
            }
            if let condition = scopeCondition(valueNode, path: "\(path).\(key)", in: file) {
                conditions.append((key, condition))
            }
        }
        return ScopeMatcher(conditions)
    }

    private func scopeCondition(_ node: Node, path: String, in file: RuleFile) -> ScopeMatcher.Condition? {
        switch node {
        case .scalar(let scalar):
            guard !scalar.string.isEmpty, !(scalar.style == .plain && ["~", "null"].contains(scalar.string)) else {
                file.diagnostics.error("\(path) must not be empty (write \"*\" for any value)", at: node)
                return nil
            }
            return scalar.string == "*" ? .present : .equals(scalar.string)
        case .mapping:
            guard let object = YAMLObject(node, path: path, diagnostics: file.diagnostics) else { return nil }
            defer { object.rejectUnknownKeys() }
            guard let pattern = object.string("regex", required: true), let patternNode = object.value("regex") else { return nil }
            do throws(PatternError) {
                return .matches(pattern: pattern, regex: try AnchoredPattern(pattern))
            } catch {
                file.error("\(object.child("regex")): invalid regular expression: \(error.message)", at: patternNode, offset: error.offset)
                return nil
            }
        default:
            file.diagnostics.error("\(path) must be a value, \"*\" (any value) or {regex: \"...\"}", at: node)
            return nil
        }
    }

    /// `per: [team, user]`: attribution keys, each at most once.
    func per(_ item: YAMLObject, in file: RuleFile) -> [String] {
        guard let keys = item.stringList("per"), let nodes = item.value("per")?.sequence else { return [] }
        var accepted: [String] = []
        for (index, key) in keys.enumerated() {
            let node = nodes[index]
            guard checkLabel(key, at: node, path: item.child("per"), in: file) else { continue }
            guard !accepted.contains(key) else {
                file.diagnostics.error("\(item.child("per")): \"\(key)\" is listed twice", at: node)
                continue
            }
            accepted.append(key)
        }
        return accepted
    }

    /// Whether `key` is an attribution key of the deployment; reports it when not.
    private func checkLabel(_ key: String, at node: Node, path: String, in file: RuleFile) -> Bool {
        if schema.allows(key) { return true }
        let hint = closestName(to: key, among: schema.allowedKeys).map { " (did you mean \"\($0)\"?)" }
            ?? " (known: \(schema.allowedKeys.joined(separator: ", ")); declare others under attribution.extra_keys in tokenwarden.yaml)"
        file.diagnostics.error("\(path): unknown attribution label \"\(key)\"\(hint)", at: node)
        return false
    }

    /// A duration (`15m`, `1h30m`), longer than zero; a parse error points at the character.
    func duration(_ item: YAMLObject, _ key: String, required: Bool = false, in file: RuleFile) -> RuleDuration? {
        guard let text = item.string(key, required: required), let node = item.value(key) else { return nil }
        return duration(text, at: node, offset: 0, path: item.child(key), in: file)
    }

    /// Parses `text`, which starts `offset` characters into the value of `node`.
    func duration(_ text: String, at node: Node, offset: Int, path: String, in file: RuleFile) -> RuleDuration? {
        let duration: RuleDuration
        do {
            duration = try RuleDuration(parsing: text)
        } catch {
            file.error("\(path): \(error.message)", at: node, offset: offset + error.offset)
            return nil
        }
        guard duration.nanoseconds > 0 else {
            file.diagnostics.error("\(path) must be longer than 0s", at: node)
            return nil
        }
        return duration
    }

    /// A percentage (`80%`, `12.5%`), optionally at most `maximum`.
    func percent(_ item: YAMLObject, _ key: String, required: Bool = false, maximum: ThresholdPercent? = nil,
                 in file: RuleFile) -> ThresholdPercent? {
        guard let text = item.string(key, required: required), let node = item.value(key) else { return nil }
        do {
            let value = try ThresholdPercent(parsing: text)
            if let maximum, value > maximum {
                item.reportOutOfRange(key, value: "\(value)", below: nil, above: "\(maximum)")
                return nil
            }
            return value
        } catch {
            file.diagnostics.error("\(item.child(key)): \(error.message)", at: node)
            return nil
        }
    }
}
