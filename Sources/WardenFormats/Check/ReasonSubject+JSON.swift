import WardenCore

/// A reason subject's response members, rendered once per subject and kept in its
/// ``ReasonSubject/rendering`` slot: `"rule":…,"kind":…` and `"scope":{…}` (empty without scope
/// labels). The response writes both for every reason, and writing every rule name, kind and
/// label through the escaping writer per check cost more than the engine's whole decision.
///
/// The bytes live in memory of the object's own, read through a pointer: reading an array out of
/// a class retained and released it each time.
final class SubjectMembers: @unchecked Sendable {
    let head: UnsafeBufferPointer<UInt8>
    let scope: UnsafeBufferPointer<UInt8>

    init(_ subject: ReasonSubject) {
        var head = JSONWriter(reservingCapacity: subject.rule.utf8.count + 32)
        head.key(literal: "rule"); head.string(subject.rule)
        head.key(literal: "kind"); head.string(subject.kind.rawValue)
        self.head = Self.copy(head.bytes)
        var scope: [UInt8] = []
        if !subject.scope.isEmpty {
            var members = JSONWriter(reservingCapacity: 16 + subject.scope.count * 24)
            members.key(literal: "scope")
            members.beginObject()
            for label in subject.scope { members.key(label.key); members.string(label.value) }
            members.endObject()
            scope = members.bytes
        }
        self.scope = Self.copy(scope)
    }

    deinit {
        head.deallocate()
        scope.deallocate()
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = storage.initialize(from: bytes)
        return UnsafeBufferPointer(rebasing: storage[..<bytes.count])
    }
}

extension JSONWriter {
    /// A reason's `"rule":…,"kind":…` members.
    public mutating func members(headOf subject: ReasonSubject) {
        members(subject.rendering.value { SubjectMembers(subject) }.head)
    }

    /// A reason's `"scope":{…}` member (nothing without scope labels).
    public mutating func members(scopeOf subject: ReasonSubject) {
        members(subject.rendering.value { SubjectMembers(subject) }.scope)
    }
}
