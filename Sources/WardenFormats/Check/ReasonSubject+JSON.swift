import WardenCore

extension ReasonSubject {
    /// The subject's `"rule":…,"kind":…` and `"scope":{…}` (empty without scope labels) members,
    /// rendered on first use and kept in its ``ReasonSubject/rendering`` slot. The response writes
    /// both for every reason, and writing every rule name, kind and label through the escaping
    /// writer per check cost more than the engine's whole decision. The bytes live as long as the
    /// subject, which the reason being written holds.
    var renderedMembers: (head: UnsafeBufferPointer<UInt8>, scope: UnsafeBufferPointer<UInt8>) {
        rendering.withValue(orMake: { Self.renderMembers(self) }) { ($0.first, $0.second) }
    }

    private static func renderMembers(_ subject: ReasonSubject) -> RenderedBytes {
        var head = JSONWriter(reservingCapacity: subject.rule.utf8.count + 32)
        head.key(literal: "rule"); head.string(subject.rule)
        head.key(literal: "kind"); head.string(subject.kind.rawValue)
        var scope = JSONWriter(reservingCapacity: 16 + subject.scope.count * 24)
        if !subject.scope.isEmpty {
            scope.key(literal: "scope")
            scope.beginObject()
            for label in subject.scope { scope.key(label.key); scope.string(label.value) }
            scope.endObject()
        }
        return RenderedBytes(head.bytes, scope.bytes)
    }
}
