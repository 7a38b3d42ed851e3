/// The JSON members of a check response's reason that are constant for a rule and for a budget
/// instance, rendered once: `"rule":"team-daily","kind":"budget"` and `"scope":{"team":"search"}`.
///
/// Why: a check that matches ten budgets answers with ten reasons, and writing every rule name,
/// kind and scope label through the escaping writer for every response cost more than the
/// engine's whole decision. What changes from check to check (decision, message, ratio,
/// remaining) is still written each time.
public struct RenderedReason: Sendable, Hashable {
    /// `"rule":…,"kind":…`
    public var head: [UInt8]
    /// `"scope":{…}`, or empty when the reason has no scope labels.
    public var scope: [UInt8]

    init(head: [UInt8], scope: [UInt8]) {
        self.head = head
        self.scope = scope
    }

    public static func head(rule: String, kind: RuleKind) -> [UInt8] {
        var members = JSONWriter(reservingCapacity: rule.utf8.count + 32)
        members.key(literal: "rule"); members.string(rule)
        members.key(literal: "kind"); members.string(kind.rawValue)
        return members.bytes
    }

    public static func scope(_ labels: [AuditLabel]) -> [UInt8] {
        guard !labels.isEmpty else { return [] }
        var members = JSONWriter(reservingCapacity: 16 + labels.count * 24)
        members.key(literal: "scope")
        members.beginObject()
        for label in labels { members.key(label.key); members.string(label.value) }
        members.endObject()
        return members.bytes
    }
}
