/// The scope of one bucket in a ``QuotaTable``: the values of the quota's `per:` labels, in
/// the order the rule lists them (`per: [user]` → the user id).
///
/// One label (the common case) is the value itself, so building a key copies no bytes. Several
/// labels are joined with U+001F (INFORMATION SEPARATOR ONE), which label values are assumed not to
/// contain; an absent label is the empty string, so requests without it share one scope.
public struct QuotaKey: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }

    public init(labelValues: [String]) {
        value = labelValues.count == 1 ? labelValues[0] : labelValues.joined(separator: "\u{1F}")
    }

    public var description: String { value }
}
