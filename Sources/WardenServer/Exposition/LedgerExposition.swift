import Synchronization
import WardenCore
import WardenMetrics

/// Renders the ledger's counters as the public metric families.
///
/// Each ledger series renders its escaped label bytes once, the first time a scrape sees it,
/// and keeps them by series index (series are append-only), so a scrape of 100k series only
/// copies bytes. The ledger is read by copying its arrays under the lock — copy-on-write makes
/// that O(1) — and rendering happens outside it, so ingest never waits for a scrape.
public final class LedgerExposition: Sendable {
    private let ledger: LiveLedger
    private let labelCache = Mutex(LabelCache())

    /// Each series' rendered labels, by series index, and their total size.
    private struct LabelCache {
        var labels: [LabelPairs] = []
        var totalBytes = 0
    }

    private static let kindInput = LabelPairs([("kind", "input")]).bytes
    private static let kindCacheRead = LabelPairs([("kind", "cache_read")]).bytes
    private static let kindCacheCreation = LabelPairs([("kind", "cache_creation")]).bytes
    private static let kindOutput = LabelPairs([("kind", "output")]).bytes

    public init(ledger: LiveLedger) { self.ledger = ledger }

    private struct Snapshot {
        var keys: [SeriesKey]
        var totals: [SeriesTotals]
        var labelKeys: [String]
        var seriesLimit: Int
        var unpriced: [Ledger.ProviderModel: Int64]
        var overflowEvents: Int64
        var duplicateEvents: Int64
        var rejectedEvents: [String: Int64]
    }

    public func write(into writer: inout ExpositionWriter, rejectionReasons: [String]) {
        let snapshot = ledger.read { ledger in
            Snapshot(keys: ledger.keys, totals: ledger.totals, labelKeys: ledger.labelKeys, seriesLimit: ledger.seriesLimit,
                     unpriced: ledger.unpriced, overflowEvents: ledger.overflowEvents,
                     duplicateEvents: ledger.duplicateEvents, rejectedEvents: ledger.rejectedEvents)
        }
        let (labels, labelBytes) = labelCache.withLock { cache in
            if cache.labels.count < snapshot.keys.count {
                // Label names are the same for every series: validated once, values escaped once per series.
                let template = LabelTemplate(names: ["provider", "model"] + snapshot.labelKeys)
                cache.labels.reserveCapacity(snapshot.keys.count)
                while cache.labels.count < snapshot.keys.count {
                    let key = snapshot.keys[cache.labels.count]
                    let rendered = template.render([key.provider, key.model] + key.labelValues)
                    cache.totalBytes += rendered.bytes.count
                    cache.labels.append(rendered)
                }
            }
            return (cache.labels, cache.totalBytes)
        }
        let count = snapshot.keys.count
        // Seven samples per series, each its labels plus name, extra label and value: reserving
        // it up front spares the first scrape of a large ledger the copies of a growing buffer.
        writer.reserveAdditional(7 * labelBytes + count * 7 * 72)

        writer.family("tokenwarden_tokens_total", type: .counter,
                      help: "LLM tokens by kind. The kinds input (uncached), cache_read, cache_creation and output partition all tokens, so sum() is the total.")
        let totals = snapshot.totals
        writer.samples(prefix: writer.sampleName("tokenwarden_tokens_total"), labels: labels, count: count,
                       extras: [Self.kindInput, Self.kindCacheRead, Self.kindCacheCreation, Self.kindOutput]) { index, kind in
            switch kind {
            case 0: return totals[index].uncachedInput
            case 1: return totals[index].cacheRead
            case 2: return totals[index].cacheCreation
            default: return totals[index].output
            }
        }
        writer.family("tokenwarden_reasoning_tokens_total", type: .counter,
                      help: "Reasoning tokens, a subset of the output tokens.")
        writer.samples(prefix: writer.sampleName("tokenwarden_reasoning_tokens_total"), labels: labels, count: count, extras: [[]]) { index, _ in
            totals[index].reasoning
        }
        writer.family("tokenwarden_cost_total", type: .counter,
                      help: "Cost of LLM usage in currency units, exact to 1e-18 in the ledger (floating point only here).")
        let cost = writer.sampleName("tokenwarden_cost_total")
        var currencyLabels: [String: [UInt8]] = [:]
        var lastCurrency: (name: String, bytes: [UInt8]) = ("", [])
        for index in 0..<count {
            for position in 0..<totals[index].costCount {
                let amount = totals[index].cost(at: position)
                let currency: [UInt8]
                if amount.currency == lastCurrency.name {
                    currency = lastCurrency.bytes
                } else if let known = currencyLabels[amount.currency] {
                    currency = known
                } else {
                    currency = LabelPairs([("currency", amount.currency)]).bytes
                    currencyLabels[amount.currency] = currency
                }
                lastCurrency = (amount.currency, currency)
                writer.sample(prefix: cost, labels[index], extra: currency, amount.amount.approximateDouble)
            }
        }
        writer.family("tokenwarden_requests_total", type: .counter, help: "LLM calls recorded (usage events).")
        writer.samples(prefix: writer.sampleName("tokenwarden_requests_total"), labels: labels, count: count, extras: [[]]) { index, _ in
            totals[index].requests
        }

        writer.family("tokenwarden_usage_events_rejected_total", type: .counter,
                      help: "Usage events not recorded, by reason.")
        let reasons = Set(rejectionReasons).union(snapshot.rejectedEvents.keys).sorted()
        for reason in reasons {
            writer.sample("tokenwarden_usage_events_rejected_total", LabelPairs([("reason", reason)]), snapshot.rejectedEvents[reason] ?? 0)
        }
        writer.family("tokenwarden_usage_events_duplicate_total", type: .counter,
                      help: "Usage events not counted again because their id had already been accepted.")
        writer.sample("tokenwarden_usage_events_duplicate_total", .empty, snapshot.duplicateEvents)
        writer.family("tokenwarden_unpriced_events_total", type: .counter,
                      help: "Usage events recorded at zero cost because their model has no price.")
        for (key, value) in snapshot.unpriced.sorted(by: { ($0.key.provider, $0.key.model) < ($1.key.provider, $1.key.model) }) {
            writer.sample("tokenwarden_unpriced_events_total", LabelPairs([("provider", key.provider), ("model", key.model)]), value)
        }
        writer.family("tokenwarden_series_overflow_total", type: .counter,
                      help: "Usage events counted under the label value __other__ because the series limit was reached.")
        writer.sample("tokenwarden_series_overflow_total", .empty, snapshot.overflowEvents)
        writer.family("tokenwarden_metrics_series", type: .gauge,
                      help: "Label sets (provider, model, attribution labels) in the ledger behind the usage families.")
        writer.sample("tokenwarden_metrics_series", .empty, count)
        writer.family("tokenwarden_metrics_series_limit", type: .gauge,
                      help: "Label sets admitted before new ones are counted under __other__.")
        writer.sample("tokenwarden_metrics_series_limit", .empty, snapshot.seriesLimit)
    }
}
