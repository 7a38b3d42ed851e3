/// What a reason is about: its rule, its kind and the scope labels of the budget instance or
/// quota bucket, with their JSON members rendered once.
///
/// Why one shared object: a check that matches ten budgets answers with ten reasons, and every
/// reason is built, handed out and destroyed on every check. Holding the rule name, the labels
/// and their rendered members each on its own made every copy of a reason retain and release
/// five buffers; a budget instance keeps one subject for its life, so a reason retains one. The
/// rendered members spare the response writing every rule name, kind and label through the
/// escaping writer per check, which cost more than the engine's whole decision.
public final class ReasonSubject: @unchecked Sendable, Hashable {
    public let rule: String
    public let kind: RuleKind
    /// Labels identifying the budget instance or quota scope (`team=search`).
    public let scope: [AuditLabel]
    /// `"rule":…,"kind":…` and `"scope":{…}` (empty without scope labels), in memory of the
    /// subject's own that is read through a pointer: the response writes both for every reason,
    /// and reading an array from the object retained and released it each time. Written once in
    /// `init`, freed in `deinit`, never changed (which is why the class can be `@unchecked Sendable`).
    let renderedHead: UnsafeBufferPointer<UInt8>
    let renderedScope: UnsafeBufferPointer<UInt8>

    public init(rule: String, kind: RuleKind, scope: [AuditLabel]) {
        self.rule = rule
        self.kind = kind
        self.scope = scope
        renderedHead = Self.copy(Self.head(rule: rule, kind: kind))
        renderedScope = Self.copy(Self.scopeMembers(scope))
    }

    deinit {
        renderedHead.deallocate()
        renderedScope.deallocate()
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = storage.initialize(from: bytes)
        return UnsafeBufferPointer(rebasing: storage[..<bytes.count])
    }

    public static func == (lhs: ReasonSubject, rhs: ReasonSubject) -> Bool {
        lhs === rhs || (lhs.rule == rhs.rule && lhs.kind == rhs.kind && lhs.scope == rhs.scope)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rule); hasher.combine(kind); hasher.combine(scope)
    }

    static func head(rule: String, kind: RuleKind) -> [UInt8] {
        var members = JSONWriter(reservingCapacity: rule.utf8.count + 32)
        members.key(literal: "rule"); members.string(rule)
        members.key(literal: "kind"); members.string(kind.rawValue)
        return members.bytes
    }

    static func scopeMembers(_ labels: [AuditLabel]) -> [UInt8] {
        guard !labels.isEmpty else { return [] }
        var members = JSONWriter(reservingCapacity: 16 + labels.count * 24)
        members.key(literal: "scope")
        members.beginObject()
        for label in labels { members.key(label.key); members.string(label.value) }
        members.endObject()
        return members.bytes
    }
}

extension JSONWriter {
    /// A reason's `"rule":…,"kind":…` members, from its subject's own memory.
    public mutating func members(headOf subject: ReasonSubject) { members(subject.renderedHead) }

    /// A reason's `"scope":{…}` member (nothing without scope labels).
    public mutating func members(scopeOf subject: ReasonSubject) { members(subject.renderedScope) }
}
