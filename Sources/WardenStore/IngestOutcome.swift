import WardenCore

/// What the store says about one submitted event once its batch is durable.
public struct IngestOutcome: Sendable, Hashable {
    public var id: String
    public var cost: Money
    public var currency: String
    /// True when an event with this id had already been accepted; ``cost`` is then the cost
    /// computed when it was first accepted, and nothing was counted again.
    public var duplicate: Bool

    public init(id: String, cost: Money, currency: String, duplicate: Bool) {
        self.id = id
        self.cost = cost
        self.currency = currency
        self.duplicate = duplicate
    }
}
