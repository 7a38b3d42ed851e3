/// The rules a request for an override must follow, apart from storage and identities: which
/// budget instance it names, how long it lasts, and who may approve it.
public enum OverrideTerms {
    /// A problem with one field of a request.
    public struct Problem: Error, Sendable, Equatable {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    /// The override's lifetime from `"for"` (a duration) or `"until"` (RFC 3339), exactly one of
    /// them, at most `settings.overrideMaxDuration` from `now` and ending after it.
    public static func lifetime(for duration: String?, until: String?, at now: Timestamp,
                                settings: GovernanceSettings) -> Result<(duration: RuleDuration?, until: Timestamp?), Problem> {
        let maximum = settings.overrideMaxDuration
        switch (duration, until) {
        case (nil, nil):
            return .failure(Problem(field: "for", message: "give how long the override lasts: \"for\" (such as 48h) or \"until\" (RFC 3339)"))
        case (.some, .some):
            return .failure(Problem(field: "until", message: "give \"for\" or \"until\", not both"))
        case (.some(let text), nil):
            guard let parsed = try? RuleDuration(parsing: text), parsed.nanoseconds >= 1_000_000_000 else {
                return .failure(Problem(field: "for", message: "must be a duration of at least 1s such as 48h, not \"\(text)\""))
            }
            guard parsed <= maximum else {
                return .failure(Problem(field: "for", message: "\(text) is longer than governance.override_max_duration (\(Self.days(maximum)))"))
            }
            return .success((parsed, nil))
        case (nil, .some(let text)):
            let end: Timestamp
            do { end = try Timestamp(rfc3339: text) } catch {
                return .failure(Problem(field: "until", message: "must be an RFC 3339 time such as 2026-01-31T18:00:00Z: \(error)"))
            }
            guard end > now else {
                return .failure(Problem(field: "until", message: "\(text) has passed"))
            }
            guard end.nanosecondsSinceEpoch.subtractingSaturating(now.nanosecondsSinceEpoch) <= maximum.nanoseconds else {
                return .failure(Problem(field: "until", message: "\(text) is further away than governance.override_max_duration (\(Self.days(maximum)))"))
            }
            return .success((nil, end))
        }
    }

    /// Whole days as days (`30d`, not `4w2d`): how the setting is usually written.
    static func days(_ duration: RuleDuration) -> String {
        let day: Int64 = 86_400_000_000_000
        return duration.nanoseconds % day == 0 ? "\(duration.nanoseconds / day)d" : duration.description
    }

    /// The instance of `rule` that `given` names, as the engine labels it: every `per:` label of
    /// the rule must be given; the rule's fixed scope labels may be given with their value; no
    /// other label may. A budget without `per:` has one instance (name nothing, or its fixed labels).
    public static func instance(of rule: BudgetRule, given: [(key: String, value: String)]) -> Result<[AuditLabel], Problem> {
        var fixed: [String: String] = [:]
        for (label, condition) in rule.scope.conditions where !rule.per.contains(label) {
            if case .equals(let value) = condition { fixed[label] = value }
        }
        var labels: [AuditLabel] = fixed.map { AuditLabel(key: $0.key, value: $0.value) }
        var seen = Set<String>()
        for (key, value) in given {
            let field = "instance.\(key)"
            guard seen.insert(key).inserted else { return .failure(Problem(field: field, message: "given more than once")) }
            if let required = fixed[key] {
                guard value == required else {
                    return .failure(Problem(field: field, message: "budget \(rule.name) only counts \(key)=\(required)"))
                }
                continue
            }
            guard rule.per.contains(key) else {
                let allowed = rule.per.isEmpty ? "it has one instance: leave instance out" : "name its per: labels (\(rule.per.joined(separator: ", ")))"
                return .failure(Problem(field: field, message: "budget \(rule.name) has no instances by \(key); \(allowed)"))
            }
            if let problem = InputBounds.textProblem(value) { return .failure(Problem(field: field, message: problem)) }
            labels.append(AuditLabel(key: key, value: value))
        }
        for label in rule.per where !seen.contains(label) {
            return .failure(Problem(field: "instance.\(label)", message: "budget \(rule.name) has one instance per \(rule.per.joined(separator: ", ")): give \(label)"))
        }
        return .success(labels.sorted())
    }

    /// Why `approverKey` may not approve `record`, or nil when it may: four eyes need a key (an
    /// offline action has none), and a key other than the requester's.
    public static func approvalProblem(_ record: OverrideRecord, approverKey: String?) -> String? {
        guard let approverKey else {
            return "an override needs a second person's API key to approve it: approve it over the API (--url) with an approver key"
        }
        if let requester = record.requesterKey, requester == approverKey {
            return "key \"\(approverKey)\" requested override \(record.id) and cannot approve it too: four eyes need another approver's key"
        }
        return nil
    }
}
