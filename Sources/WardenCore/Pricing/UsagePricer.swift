/// The pricing stage of ingest: prices each event at its own time, or explains why it can't.
///
/// A batch is all-or-nothing, so an unknown model anywhere rejects the whole batch (422) unless
/// the deployment records unknown models at zero cost. An event using a unit its model's entry
/// has no price for (images, audio seconds, tokens of a per-unit-only entry) is treated the same
/// way, with an error naming the missing price.
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
            guard let match = catalog.lookup(provider: event.provider, model: event.model, at: time) else {
                if unknownModels == .recordAtZeroCost {
                    priced.append(PricedEvent(event: event, time: time, cost: .zero, currency: defaultCurrency, priced: false))
                } else {
                    unknown.append(UsageValidationError(
                        index: index, field: "model",
                        message: "unknown model \"\(event.model)\" for provider \"\(event.provider)\" at \(time.rfc3339): "
                            + "no price in the catalog; add it to a pricing file or alias it"))
                }
                continue
            }
            switch match.cost(of: event.tokens, media: event.media) {
            case .success(let cost):
                priced.append(PricedEvent(event: event, time: time, cost: cost, currency: match.currency, priced: true))
            case .failure(let missing):
                if unknownModels == .recordAtZeroCost {
                    priced.append(PricedEvent(event: event, time: time, cost: .zero, currency: match.currency, priced: false))
                } else {
                    unknown.append(UsageValidationError(
                        index: index, field: missing.field,
                        message: "model \"\(event.model)\" of provider \"\(event.provider)\" has \(missing) in the catalog "
                            + "at \(time.rfc3339); add it to the model's pricing entry"))
                }
            }
        }
        return unknown.isEmpty ? .success(priced) : .failure(UnknownModels(errors: unknown))
    }

    public struct UnknownModels: Error, Sendable {
        public var errors: [UsageValidationError]
    }
}
