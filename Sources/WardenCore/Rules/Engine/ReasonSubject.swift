/// What a reason is about: its rule, its kind and the scope labels of the budget instance or
/// quota bucket.
///
/// Why one shared object: a check that matches ten budgets answers with ten reasons, and every
/// reason is built, handed out and destroyed on every check. Holding the rule name and the
/// labels each on its own made every copy of a reason retain and release several buffers; a
/// budget instance keeps one subject for its life, so a reason retains one. The response's
/// members for the subject are rendered once and kept in ``rendering``.
public final class ReasonSubject: Sendable, Hashable {
    public let rule: String
    public let kind: RuleKind
    /// Labels identifying the budget instance or quota scope (`team=search`).
    public let scope: [AuditLabel]
    /// Whatever the response writer derives from the subject once (see ``RenderingSlot``).
    public let rendering = RenderingSlot()

    public init(rule: String, kind: RuleKind, scope: [AuditLabel]) {
        self.rule = rule
        self.kind = kind
        self.scope = scope
    }

    public static func == (lhs: ReasonSubject, rhs: ReasonSubject) -> Bool {
        lhs === rhs || (lhs.rule == rhs.rule && lhs.kind == rhs.kind && lhs.scope == rhs.scope)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rule); hasher.combine(kind); hasher.combine(scope)
    }
}
