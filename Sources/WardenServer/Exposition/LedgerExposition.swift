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
    private let labelCache = Mutex<[LabelPairs]>([])

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
        let labels = labelCache.withLock { cache in
            while cache.count < snapshot.keys.count {
                let key = snapshot.keys[cache.count]
                var pairs: [(String, String)] = [("provider", key.provider), ("model", key.model)]
                for (name, value) in zip(snapshot.labelKeys, key.labelValues) { pairs.append((name, value)) }
                cache.append(LabelPairs(pairs))
            }
            return cache
        }
        let count = snapshot.keys.count

        writer.family("tokenwarden_tokens_total", type: .counter,
                      help: "LLM tokens by kind. The kinds input (uncached), cache_read, cache_creation and output partition all tokens, so sum() is the total.")
        for index in 0..<count {
            let totals = snapshot.totals[index]
            writer.sample("tokenwarden_tokens_total", labels[index], extra: ("kind", "input"), totals.uncachedInput)
            writer.sample("tokenwarden_tokens_total", labels[index], extra: ("kind", "cache_read"), totals.cacheRead)
            writer.sample("tokenwarden_tokens_total", labels[index], extra: ("kind", "cache_creation"), totals.cacheCreation)
            writer.sample("tokenwarden_tokens_total", labels[index], extra: ("kind", "output"), totals.output)
        }
        writer.family("tokenwarden_reasoning_tokens_total", type: .counter,
                      help: "Reasoning tokens, a subset of the output tokens.")
        for index in 0..<count {
            writer.sample("tokenwarden_reasoning_tokens_total", labels[index], snapshot.totals[index].reasoning)
        }
        writer.family("tokenwarden_cost_total", type: .counter,
                      help: "Cost of LLM usage in currency units, exact to 1e-18 in the ledger (floating point only here).")
        for index in 0..<count {
            for cost in snapshot.totals[index].costs {
                writer.sample("tokenwarden_cost_total", labels[index], extra: ("currency", cost.currency), cost.amount.approximateDouble)
            }
        }
        writer.family("tokenwarden_requests_total", type: .counter, help: "LLM calls recorded (usage events).")
        for index in 0..<count {
            writer.sample("tokenwarden_requests_total", labels[index], snapshot.totals[index].requests)
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
