/// Which attribution labels are replaced by pseudonyms, and the keyed function that makes them
/// (`privacy.pseudonymise` in `tokenwarden.yaml`).
///
/// Applied in the one step every attribution passes before it is stored, counted, decided on,
/// exported or audited (usage events, checks, key scopes, query filters), so a raw value of a
/// pseudonymised label never reaches the engine or the store, and equal raw values still meet in
/// the same budget instance. The function itself (a keyed hash) lives at the edge; the core only
/// knows it as a closure.
///
/// A value already of the pseudonym form (`p_` and 32 lowercase hex digits) is taken as it is:
/// a filter may name a pseudonym read from an export, and applying the step twice changes nothing.
public struct Pseudonymisation: Sendable {
    /// The pseudonymised labels, sorted.
    public let labels: [String]
    private let pseudonym: @Sendable (_ label: String, _ value: String) -> String

    public init(labels: [String], pseudonym: @escaping @Sendable (_ label: String, _ value: String) -> String) {
        self.labels = Array(Set(labels)).sorted()
        self.pseudonym = pseudonym
    }

    /// Nothing is pseudonymised.
    public static let none = Pseudonymisation(labels: [], pseudonym: { _, value in value })

    public var isEnabled: Bool { !labels.isEmpty }

    public func applies(to label: String) -> Bool { labels.contains(label) }

    /// What `value` of `label` is stored and matched as.
    public func value(_ value: String, of label: String) -> String {
        guard applies(to: label), !Self.isPseudonym(value) else { return value }
        return pseudonym(label, value)
    }

    /// Replaces the values of the pseudonymised labels in `attribution`.
    public func apply(to attribution: inout Attribution) {
        guard isEnabled else { return }
        for label in labels {
            if let raw = attribution[label] { attribution[label] = value(raw, of: label) }
        }
    }

    /// `p_` and hex digits of this many bytes of the keyed hash.
    public static let digestBytes = 16
    public static let prefix = "p_"

    /// Whether `value` has the pseudonym form: `p_` and 32 lowercase hex digits.
    public static func isPseudonym(_ value: String) -> Bool {
        let bytes = value.utf8
        guard bytes.count == 2 + 2 * digestBytes, bytes.starts(with: prefix.utf8) else { return false }
        return bytes.dropFirst(2).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
