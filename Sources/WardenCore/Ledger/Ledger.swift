/// The live counters behind /metrics: totals per series, plus the bookkeeping counters.
///
/// The ledger changes in two steps so that memory never runs ahead of the database:
/// ``plan(_:)`` computes, without mutating, what a batch of events would add (including which new
/// series it admits under the series limit); the store writes the resulting absolute totals in the
/// same SQLite transaction as the events; only after the commit does ``apply(_:)`` make them
/// visible. One writer plans and applies; readers see whole batches or nothing.
///
/// Series identity is append-only: a series keeps its index for the life of the process, so the
/// exposition layer can cache each series' rendered label bytes by index.
public struct Ledger: Sendable {
    public let labelKeys: [String]
    /// Regular series admitted before new label sets go to `__other__`.
    public let seriesLimit: Int
    /// Per-(provider, model) overflow series allowed before even those collapse into one.
    public var overflowSeriesLimit: Int { max(100, seriesLimit / 10) }

    public private(set) var keys: [SeriesKey] = []
    public private(set) var totals: [SeriesTotals] = []
    private var indexByKey: [SeriesKey: Int] = [:]
    private var regularCount = 0
    private var overflowCount = 0

    /// Events recorded at zero cost because their model had no price, per provider and model.
    public private(set) var unpriced: [ProviderModel: Int64] = [:]
    /// Events whose label set was counted under `__other__` because of the series limit.
    public private(set) var overflowEvents: Int64 = 0
    /// Events not counted again because their id had already been accepted.
    public private(set) var duplicateEvents: Int64 = 0
    /// Events rejected before recording, by reason (`invalid`, `unknown_model`, `too_large`, ...).
    public private(set) var rejectedEvents: [String: Int64] = [:]

    public struct ProviderModel: Sendable, Hashable {
        public var provider: String
        public var model: String
        public init(provider: String, model: String) {
            self.provider = provider
            self.model = model
        }
    }

    public init(labelKeys: [String], seriesLimit: Int = 10_000) {
        precondition(seriesLimit > 0)
        self.labelKeys = labelKeys
        self.seriesLimit = seriesLimit
    }

    public var seriesCount: Int { keys.count }

    public func totals(for key: SeriesKey) -> SeriesTotals? {
        indexByKey[key].map { totals[$0] }
    }

    /// Sum over all series: what `sum(...)` over a family gives in PromQL.
    public var grandTotal: SeriesTotals {
        var sum = SeriesTotals()
        for entry in totals { sum.add(entry) }
        return sum
    }

    // MARK: planning and applying

    /// What one batch adds: per touched series its increment and its total after the batch.
    public struct Delta: Sendable {
        public struct Entry: Sendable {
            public var key: SeriesKey
            /// What this batch adds to the series.
            public var increment: SeriesTotals
            /// The series' total once the batch is applied: what the store persists.
            public var newTotal: SeriesTotals
            public var isNew: Bool
            public var isOverflow: Bool
        }
        public fileprivate(set) var entries: [Entry] = []
        fileprivate var entryIndex: [SeriesKey: Int] = [:]
        public fileprivate(set) var unpriced: [ProviderModel: Int64] = [:]
        public fileprivate(set) var overflowEvents: Int64 = 0
        public var duplicates: Int64 = 0
        public var rejected: [String: Int64] = [:]
        fileprivate var newRegular = 0
        fileprivate var newOverflow = 0

        public init() {}

        public var isEmpty: Bool { entries.isEmpty && unpriced.isEmpty && duplicates == 0 && rejected.isEmpty }
    }

    /// Plans the effect of `events` (already deduplicated) without changing the ledger.
    public func plan(_ events: [PricedEvent], into initial: Delta = Delta()) -> Delta {
        var delta = initial
        for priced in events {
            let key = admittedKey(for: SeriesKey(event: priced.event, labelKeys: labelKeys), delta: &delta)
            let slot: Int
            if let existing = delta.entryIndex[key.key] {
                slot = existing
            } else {
                slot = delta.entries.count
                delta.entryIndex[key.key] = slot
                let current = indexByKey[key.key].map { totals[$0] } ?? SeriesTotals()
                delta.entries.append(Delta.Entry(
                    key: key.key, increment: SeriesTotals(), newTotal: current,
                    isNew: indexByKey[key.key] == nil, isOverflow: key.overflow))
            }
            delta.entries[slot].increment.add(tokens: priced.event.tokens, cost: priced.cost, currency: priced.currency)
            delta.entries[slot].newTotal.add(tokens: priced.event.tokens, cost: priced.cost, currency: priced.currency)
            if key.overflow { delta.overflowEvents += 1 }
            if !priced.priced {
                let model = unpricedKey(provider: priced.event.provider, model: priced.event.model, delta: delta)
                delta.unpriced[model, default: 0] += 1
            }
        }
        return delta
    }

    private func admittedKey(for key: SeriesKey, delta: inout Delta) -> (key: SeriesKey, overflow: Bool) {
        if indexByKey[key] != nil || delta.entryIndex[key] != nil { return (key, false) }
        if regularCount + delta.newRegular < seriesLimit {
            delta.newRegular += 1
            return (key, false)
        }
        let perModel = key.overflowed
        if indexByKey[perModel] != nil || delta.entryIndex[perModel] != nil { return (perModel, true) }
        if overflowCount + delta.newOverflow < overflowSeriesLimit {
            delta.newOverflow += 1
            return (perModel, true)
        }
        return (SeriesKey.fullyOverflowed(labelCount: labelKeys.count), true)
    }

    private func unpricedKey(provider: String, model: String, delta: Delta) -> ProviderModel {
        let key = ProviderModel(provider: provider, model: model)
        if unpriced[key] != nil || delta.unpriced[key] != nil { return key }
        let distinct = unpriced.count + delta.unpriced.keys.filter { unpriced[$0] == nil }.count
        if distinct < seriesLimit { return key }
        return ProviderModel(provider: SeriesKey.overflowValue, model: SeriesKey.overflowValue)
    }

    /// Makes a planned batch visible. Must be given deltas planned against the current state,
    /// in order (the single writer guarantees it).
    public mutating func apply(_ delta: Delta) {
        for entry in delta.entries {
            if let index = indexByKey[entry.key] {
                totals[index].add(entry.increment)
            } else {
                insert(entry.key, totals: entry.increment, overflow: entry.isOverflow)
            }
        }
        for (key, count) in delta.unpriced { unpriced[key, default: 0] += count }
        overflowEvents += delta.overflowEvents
        duplicateEvents += delta.duplicates
        for (reason, count) in delta.rejected { rejectedEvents[reason, default: 0] += count }
    }

    // MARK: restoring

    /// Restores one persisted series at startup, in the order it was first admitted.
    public mutating func restore(_ key: SeriesKey, totals restored: SeriesTotals) {
        let overflow = key.labelValues.allSatisfy { $0 == SeriesKey.overflowValue } && !key.labelValues.isEmpty
        if let index = indexByKey[key] {
            totals[index].add(restored)
        } else {
            insert(key, totals: restored, overflow: overflow)
        }
    }

    public mutating func restoreUnpriced(_ key: ProviderModel, count: Int64) {
        unpriced[key, default: 0] += count
    }

    public mutating func restoreOverflowEvents(_ count: Int64) {
        overflowEvents += count
    }

    public mutating func restoreDuplicateEvents(_ count: Int64) {
        duplicateEvents += count
    }

    public mutating func restoreRejectedEvents(reason: String, count: Int64) {
        rejectedEvents[reason, default: 0] += count
    }

    private mutating func insert(_ key: SeriesKey, totals initial: SeriesTotals, overflow: Bool) {
        indexByKey[key] = keys.count
        keys.append(key)
        totals.append(initial)
        if overflow { overflowCount += 1 } else { regularCount += 1 }
    }
}
