/// The price that applies to one event: the catalog entry found, and how it was found.
///
/// Cheap to return from the per-event lookup: it holds a reference to the catalog's entry
/// (one retain), not a copy of it.
public struct PriceMatch: Sendable {
    /// Which lookup rule found the entry (see ``PriceCatalog/lookup(provider:model:at:)``).
    public enum Rule: String, Sendable, Hashable, CustomStringConvertible {
        /// The event's provider and model are a catalog entry's provider and model.
        case exactPair = "provider and model"
        /// The event's model name is priced under exactly one provider.
        case modelName = "model name"
        /// The event's model name with the `provider/` prefix added or removed is priced.
        case providerPrefix = "provider prefix"
        /// The event's model name is a configured alias.
        case alias = "alias"

        public var description: String { rawValue }
    }

    private let version: PricedVersion
    public let rule: Rule

    public init(entry: PriceEntry, rule: Rule) {
        self.init(version: PricedVersion(entry), rule: rule)
    }

    init(version: PricedVersion, rule: Rule) {
        self.version = version
        self.rule = rule
    }

    public var entry: PriceEntry { version.entry }
    /// The currency the cost is in (`USD`).
    public var currency: String { version.entry.currency }
    public var price: ModelPrice { version.entry.price }

    /// The exact cost of one call at this price.
    public func cost(of usage: TokenUsage) -> Money { version.entry.price.cost(of: usage) }

    /// The exact cost of one call with its media units, or the unit this entry has no price for.
    public func cost(of usage: TokenUsage, media: MediaUsage) -> Result<Money, MissingPrice> {
        version.entry.price.cost(of: usage, media: media)
    }
}

/// One catalog entry, allocated once when the catalog is built and shared by every match.
final class PricedVersion: Sendable {
    let entry: PriceEntry
    /// ``PriceEntry/effectiveFromTime`` in nanoseconds.
    let start: Int64

    init(_ entry: PriceEntry) {
        self.entry = entry
        self.start = entry.effectiveFromTime.nanosecondsSinceEpoch
    }
}
