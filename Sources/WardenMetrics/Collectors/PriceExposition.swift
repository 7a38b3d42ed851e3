import Synchronization
import WardenCore
import WardenFormats

/// `tokenwarden_price_per_token{provider,model,kind,currency}`: the list price in force now of
/// every model that has usage in the ledger, per token kind.
///
/// Why a gauge of prices: what caching *saved* is a counterfactual (the same tokens billed at the
/// input price), so no counter of ours can hold it exactly; with the price per kind beside
/// `tokenwarden_tokens_total`, PromQL multiplies cache-read tokens by the input/cache-read price
/// difference per model and a dashboard shows the saving in money. Prices are the base tier's,
/// after the cost rule's fallbacks (a cache bucket without its own price is billed at the input
/// price, so its saving is zero), which is what an estimate of savings wants.
///
/// Only models with usage are exposed: a loaded LiteLLM catalog prices thousands of models, and
/// series for models nobody calls would be noise. The set of models is extended incrementally
/// (ledger series are append-only), so a scrape does not rescan every series.
public final class PriceExposition: MetricsCollector {
    /// The catalog in force now (pricing files reload with the rules).
    let catalog: @Sendable () -> PriceCatalog
    let ledger: LiveLedger
    let clock: any WallClock
    private let models = Mutex(SeenModels())

    /// The (provider, model) pairs of the ledger's first `scanned` series, in first-seen order.
    private struct SeenModels {
        var scanned = 0
        var known: Set<Ledger.ProviderModel> = []
        var ordered: [Ledger.ProviderModel] = []
    }

    /// The kinds and their `kind` label values, as in `tokenwarden_tokens_total` (plus reasoning,
    /// which that family counts inside output and `tokenwarden_reasoning_tokens_total` apart).
    private static func kinds(_ prices: EffectivePrices) -> [(label: String, price: Money)] {
        [("input", prices.input), ("cache_read", prices.cacheRead), ("cache_creation", prices.cacheCreation),
         ("output", prices.output), ("reasoning", prices.reasoning), ("audio_input", prices.audioInput),
         ("audio_output", prices.audioOutput)]
    }

    public convenience init(catalog: PriceCatalog, ledger: LiveLedger, clock: any WallClock) {
        self.init(catalog: { catalog }, ledger: ledger, clock: clock)
    }

    public init(catalog: @escaping @Sendable () -> PriceCatalog, ledger: LiveLedger, clock: any WallClock) {
        self.catalog = catalog
        self.ledger = ledger
        self.clock = clock
    }

    public func write(into writer: inout ExpositionWriter) {
        let seen = usedModels()
        let now = clock.now()
        var rows: [(model: Ledger.ProviderModel, currency: String, prices: EffectivePrices)] = []
        let catalog = self.catalog()
        for model in seen {
            // An entry priced only per image or second has no per-token price to show.
            guard let match = catalog.lookup(provider: model.provider, model: model.model, at: now),
                  match.price.pricesTokens else { continue }
            rows.append((model, match.currency, match.price.effectivePrices(forInputTokens: 0)))
        }
        guard !rows.isEmpty else { return }
        writer.family("tokenwarden_price_per_token", type: .gauge,
                      help: "List price per token in force now (base tier, after fallbacks) of each model with usage, by token kind; multiply with tokenwarden_tokens_total for what-if costs such as cache savings.")
        for row in rows {
            let labels = LabelPairs([("provider", row.model.provider), ("model", row.model.model)])
            for kind in Self.kinds(row.prices) {
                writer.sample("tokenwarden_price_per_token",
                              labels.appending(LabelPairs([("kind", kind.label), ("currency", row.currency)])),
                              kind.price.approximateDouble)
            }
        }
    }

    /// Every priced-looking (provider, model) with usage, sorted for a stable exposition order.
    /// Series under `__other__` models (the catch-all of the series limit) name no model.
    func usedModels() -> [Ledger.ProviderModel] {
        let (start, keys): (Int, [Ledger.ProviderModel]) = ledger.read { ledger in
            let scanned = models.withLock { $0.scanned }
            // A replaced ledger (rebuilt after a label change) starts its indices over.
            let start = scanned <= ledger.seriesCount ? scanned : 0
            var fresh: [Ledger.ProviderModel] = []
            for index in start..<ledger.seriesCount {
                let key = ledger.keys[index]
                fresh.append(Ledger.ProviderModel(provider: key.provider, model: key.model))
            }
            return (start, fresh)
        }
        return models.withLock { seen in
            if start == 0 && seen.scanned != 0 { seen = SeenModels() }
            guard start == seen.scanned else { return seen.ordered.sorted(by: Self.order) }
            for key in keys where key.model != SeriesKey.overflowValue && seen.known.insert(key).inserted {
                seen.ordered.append(key)
            }
            seen.scanned = start + keys.count
            return seen.ordered.sorted(by: Self.order)
        }
    }

    private static func order(_ left: Ledger.ProviderModel, _ right: Ledger.ProviderModel) -> Bool {
        (left.provider, left.model) < (right.provider, right.model)
    }
}
