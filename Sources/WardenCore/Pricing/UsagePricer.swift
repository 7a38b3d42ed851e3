/// The pricing stage of ingest: prices each event at its own time, or explains why it can't.
///
/// A batch is all-or-nothing, so an unknown model anywhere rejects the whole batch (422) unless
/// the deployment records unknown models at zero cost.
public struct UsagePricer: Sendable {
    public let catalog: PriceCatalog
    public let unknownModels: UnknownModelPolicy
    /// Currency recorded for unpriced events.
    public let defaultCurrency: String

    public init(catalog: PriceCatalog, unknownModels: UnknownModelPolicy, defaultCurrency: String = "USD") {
        self.catalog = catalog
        self.unknownModels = unknownModels
        self.defaultCurrency = defaultCurrency
    }

    /// Prices `events`; events without a time are stamped `receivedAt`. Returns every unknown
    /// model as an error naming the event index, or the priced events in order.
    public func price(_ events: [UsageEvent], receivedAt: Timestamp) -> Result<[PricedEvent], UnknownModels> {
        var priced: [PricedEvent] = []
        priced.reserveCapacity(events.count)
        var unknown: [UsageValidationError] = []
        for (index, event) in events.enumerated() {
            let time = event.time ?? receivedAt
            if let match = catalog.lookup(provider: event.provider, model: event.model, at: time) {
                priced.append(PricedEvent(event: event, time: time, cost: match.cost(of: event.tokens),
                                          currency: match.currency, priced: true))
            } else if unknownModels == .recordAtZeroCost {
                priced.append(PricedEvent(event: event, time: time, cost: .zero, currency: defaultCurrency, priced: false))
            } else {
                unknown.append(UsageValidationError(
                    index: index, field: "model",
                    message: "unknown model \"\(event.model)\" for provider \"\(event.provider)\" at \(time.rfc3339): "
                        + "no price in the catalog; add it to a pricing file or alias it"))
            }
        }
        return unknown.isEmpty ? .success(priced) : .failure(UnknownModels(errors: unknown))
    }

    public struct UnknownModels: Error, Sendable {
        public var errors: [UsageValidationError]
    }
}
