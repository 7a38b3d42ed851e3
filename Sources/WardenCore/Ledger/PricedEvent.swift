/// A usage event after pricing: what the ledger and the store record.
public struct PricedEvent: Sendable, Hashable {
    /// The event with its ``UsageEvent/time`` filled in (receipt time when the client sent none).
    public var event: UsageEvent
    public var time: Timestamp
    public var cost: Money
    public var currency: String
    /// False when the model had no price and the configuration records such events at zero cost.
    public var priced: Bool

    public init(event: UsageEvent, time: Timestamp, cost: Money, currency: String, priced: Bool) {
        self.event = event
        self.time = time
        self.cost = cost
        self.currency = currency
        self.priced = priced
    }
}
