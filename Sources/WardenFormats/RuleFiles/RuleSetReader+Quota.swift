import WardenCore
import Yams

/// Reading one `quotas:` entry.
extension RuleSetReader {
    func readQuota(_ item: YAMLObject, in file: RuleFile) {
        let name = ruleName(item, kind: .quota, in: file)
        let scope = self.scope(item, in: file)
        let per = self.per(item, in: file)
        let capacity = 1...QuotaRate.maximumCapacity
        let tokens = item.integer("tokens", in: capacity)
        let requests = item.integer("requests", in: capacity)
        let window = duration(item, "window", required: true, in: file)
        let burst = item.integer("burst", in: 0...QuotaRate.maximumCapacity) ?? 0
        let ceilings = priorityCeilings(item, in: file)
        let shadow = item.bool("shadow") ?? false
        item.rejectUnknownKeys()

        let unit: QuotaPolicy.Unit
        let limit: Int64
        switch (tokens, requests) {
        case (let tokens?, nil): (unit, limit) = (.tokens, tokens)
        case (nil, let requests?): (unit, limit) = (.requests, requests)
        case (_?, _?):
            file.diagnostics.error("\(item.path): give either tokens or requests, not both (one quota counts one unit)", at: item.value("requests"))
            return
        case (nil, nil):
            // Only when neither key is written; a malformed one was reported already.
            if item.value("tokens") == nil && item.value("requests") == nil {
                file.diagnostics.error("\(item.path) needs tokens: <count> or requests: <count> per window", at: item.node)
            }
            return
        }
        guard let name, let window, let ceilings else { return }
        let rate: QuotaRate
        do {
            rate = try QuotaRate(limit: limit, window: window.nanoseconds, burst: burst, priorityCeilings: ceilings)
        } catch {
            file.diagnostics.error("\(item.path): \(error)", at: item.value("burst") ?? item.node)
            return
        }
        let policy = QuotaPolicy(name: name, rate: rate, unit: unit, isShadow: shadow)
        quotas.append(QuotaRule(policy: policy, scope: scope, per: per, source: file.source(of: item.node)))
    }

    /// `priority: {low: 50, normal: 80}`: how full each class may make the bucket, in percent
    /// (`50%` is accepted too). Absent classes may fill it whole; an absent `low` gets `normal`'s.
    private func priorityCeilings(_ item: YAMLObject, in file: RuleFile) -> QuotaPriorityCeilings? {
        guard let object = item.object("priority") else {
            // A malformed `priority` was reported by `object`; nil keeps the quota from being built.
            return item.value("priority") == nil ? QuotaPriorityCeilings.none : nil
        }
        defer { object.rejectUnknownKeys() }
        let low = ceilingPercent(object, "low", in: file)
        let normal = ceilingPercent(object, "normal", in: file)
        if object.value("low") == nil && object.value("normal") == nil {
            file.diagnostics.error("\(object.path) needs low, normal or both (percent of the bucket each class may fill)", at: object.node)
            return nil
        }
        if (object.value("low") != nil && low == nil) || (object.value("normal") != nil && normal == nil) { return nil }
        do {
            return try QuotaPriorityCeilings(lowPercent: low ?? normal ?? 100, normalPercent: normal ?? 100)
        } catch {
            file.diagnostics.error("\(object.path): \(error)", at: object.node)
            return nil
        }
    }

    private func ceilingPercent(_ object: YAMLObject, _ key: String, in file: RuleFile) -> Int64? {
        guard let text = object.string(key), let node = object.value(key) else { return nil }
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Int64(digits), (1...100).contains(value) else {
            file.diagnostics.error("\(object.child(key)) must be a whole percentage between 1 and 100, not \"\(text)\"", at: node)
            return nil
        }
        return value
    }
}
