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
///
/// Besides the all-time totals, each series keeps what it cost in the current reporting day, week
/// and month (``periodSpend``), for deltas planned with ``Delta/windows``: an event counts in a
/// period when its time is not before the period's start, as a budget counts it. The windows come
/// from the writer's clock; the ledger itself never reads one.
public struct Ledger: Sendable {
    public let labelKeys: [String]
    /// Regular series admitted before new label sets go to `__other__`.
    public let seriesLimit: Int
    /// Per-(provider, model) overflow series allowed before even those collapse into one.
    public var overflowSeriesLimit: Int { max(100, seriesLimit / 10) }

    public private(set) var keys: [SeriesKey] = []
    public private(set) var totals: [SeriesTotals] = []
    /// Each series' spend in the reporting periods, by series index (parallel to ``totals``).
    public private(set) var periodSpend: [PeriodSpend] = []
    /// The windows ``periodSpend`` is counted in; nil until a delta with windows was applied.
    public private(set) var reportingWindows: ReportingWindows?
    private var indexByKey: [SeriesKey: Int] = [:]
    private var regularCount = 0
    private var overflowCount = 0
    /// Series changed by ``apply(_:)`` since the last ``takeCheckpoint()``, in first-change order.
    private var dirtyIndices: [Int] = []
    private var isDirty: [Bool] = []
    /// Whether the bookkeeping counters derived from events (unpriced, overflow) changed since
    /// the last checkpoint.
    private var countersDirty = false

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
            /// What this batch adds to the series' spend in each period of ``Delta/windows``.
            public var periodIncrement = PeriodSpend()
            /// The series' index when it already exists.
            fileprivate var seriesIndex: Int?
        }
        public fileprivate(set) var entries: [Entry] = []
        /// Entries of series not yet in the ledger, by key.
        fileprivate var entryIndex: [SeriesKey: Int] = [:]
        /// Entries of existing series, by series index.
        fileprivate var slotBySeries: [Int: Int] = [:]
        public fileprivate(set) var unpriced: [ProviderModel: Int64] = [:]
        public fileprivate(set) var overflowEvents: Int64 = 0
        public var duplicates: Int64 = 0
        public var rejected: [String: Int64] = [:]
        /// The reporting periods current when the batch is recorded: set by the writer before
        /// planning, so events count in ``Ledger/periodSpend``. Nil leaves the period spend alone
        /// (a replay at start-up, whose period spend is restored from the usage log instead).
        public var windows: ReportingWindows?
        fileprivate var newRegular = 0
        fileprivate var newOverflow = 0

        public init() {}

        public var isEmpty: Bool { entries.isEmpty && unpriced.isEmpty && duplicates == 0 && rejected.isEmpty }
    }

    /// The index of an admitted series (stable for the life of the process), or nil.
    public func seriesIndex(of key: SeriesKey) -> Int? { indexByKey[key] }

    /// Plans the effect of `events` (already deduplicated) without changing the ledger.
    public func plan(_ events: [PricedEvent], into initial: Delta = Delta()) -> Delta {
        let keys = events.map { SeriesKey(event: $0.event, labelKeys: labelKeys) }
        return plan(events, keys: keys, indices: [], into: initial)
    }

    /// ``plan(_:into:)`` with each event's series key, and optionally its series index, worked out
    /// beforehand (on the request threads, so the single writer hashes label sets only for series
    /// it has not seen before). `indices` is empty or has one entry per event; an entry may be nil
    /// or stale-nil (the series was admitted since), never wrong.
    public func plan(_ events: [PricedEvent], keys: [SeriesKey], indices: [Int?], into initial: Delta = Delta()) -> Delta {
        plan(batches: CollectionOfOne((events: events, keys: keys, indices: indices)), into: initial)
    }

    /// ``plan(_:keys:indices:into:)`` over several batches in order, as if they were one: the
    /// writer plans a group commit's requests without first copying their events into one array.
    public func plan(batches: some Sequence<(events: [PricedEvent], keys: [SeriesKey], indices: [Int?])>,
                     into initial: Delta = Delta()) -> Delta {
        var delta = initial
        for (events, keys, indices) in batches {
            precondition(keys.count == events.count && (indices.isEmpty || indices.count == events.count))
            accumulate(events, keys: keys, indices: indices, into: &delta)
        }
        for slot in delta.entries.indices {
            delta.entries[slot].newTotal.add(delta.entries[slot].increment)
        }
        return delta
    }

    private func accumulate(_ events: [PricedEvent], keys: [SeriesKey], indices: [Int?], into delta: inout Delta) {
        let periodStarts = delta.windows.map { PeriodStarts(day: $0.day.start, week: $0.week.start, month: $0.month.start) }
        // Read in place: iterating the array copied each event (retaining every string in it),
        // which was a tenth of the single writer thread's time.
        events.withUnsafeBufferPointer { events in
            keys.withUnsafeBufferPointer { keys in
                for position in events.indices {
                    accumulate(events.baseAddress! + position, key: keys.baseAddress! + position,
                               index: indices.isEmpty ? nil : indices[position], periodStarts: periodStarts, into: &delta)
                }
            }
        }
    }

    /// The starts of ``Delta/windows``, read once per batch rather than once per event.
    private struct PeriodStarts {
        var day, week, month: Timestamp
    }

    private func accumulate(_ priced: UnsafePointer<PricedEvent>, key: UnsafePointer<SeriesKey>, index known: Int?,
                            periodStarts: PeriodStarts?, into delta: inout Delta) {
        var overflow = false
        var index = known
        var newKey: SeriesKey?
        if index == nil {
            let admitted = admittedKey(for: key.pointee, delta: &delta)
            overflow = admitted.overflow
            index = indexByKey[admitted.key]
            if index == nil { newKey = admitted.key }
        }
        let slot: Int
        if let index {
            if let existing = delta.slotBySeries[index] {
                slot = existing
            } else {
                slot = delta.entries.count
                delta.slotBySeries[index] = slot
                delta.entries.append(Delta.Entry(key: self.keys[index], increment: SeriesTotals(), newTotal: totals[index],
                                                 isNew: false, isOverflow: false, seriesIndex: index))
            }
        } else {
            let key = newKey!
            if let existing = delta.entryIndex[key] {
                slot = existing
            } else {
                slot = delta.entries.count
                delta.entryIndex[key] = slot
                delta.entries.append(Delta.Entry(key: key, increment: SeriesTotals(), newTotal: SeriesTotals(),
                                                 isNew: true, isOverflow: overflow, seriesIndex: nil))
            }
        }
        delta.entries[slot].increment.add(tokens: priced.pointee.event.tokens, media: priced.pointee.event.media,
                                          cost: priced.pointee.cost,
                                          currency: priced.pointee.currency)
        if let starts = periodStarts {
            let time = priced.pointee.time
            if time >= starts.day { delta.entries[slot].periodIncrement.day.amounts.add(priced.pointee.cost, currency: priced.pointee.currency) }
            if time >= starts.week { delta.entries[slot].periodIncrement.week.amounts.add(priced.pointee.cost, currency: priced.pointee.currency) }
            if time >= starts.month { delta.entries[slot].periodIncrement.month.amounts.add(priced.pointee.cost, currency: priced.pointee.currency) }
        }
        if overflow { delta.overflowEvents += 1 }
        if !priced.pointee.priced {
            let model = unpricedKey(provider: priced.pointee.event.provider, model: priced.pointee.event.model, delta: delta)
            delta.unpriced[model, default: 0] += 1
        }
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
        // Periods whose window the delta was planned in: those that rolled over before it was
        // applied (a commit spanning midnight) keep the new window's amounts, not the old one's.
        var current: [ReportingPeriod] = []
        if let windows = delta.windows {
            advanceReportingWindows(to: windows)
            current = ReportingPeriod.allCases.filter { reportingWindows?[$0].start == windows[$0].start }
        }
        for entry in delta.entries {
            let index: Int
            if let existing = entry.seriesIndex ?? indexByKey[entry.key] {
                index = existing
                totals[index].add(entry.increment)
            } else {
                index = keys.count
                insert(entry.key, totals: entry.increment, overflow: entry.isOverflow)
            }
            for period in current {
                periodSpend[index].add(entry.periodIncrement[period].amounts, period, windowStart: reportingWindows![period].start)
            }
            if !isDirty[index] {
                isDirty[index] = true
                dirtyIndices.append(index)
            }
        }
        if !delta.unpriced.isEmpty || delta.overflowEvents != 0 { countersDirty = true }
        for (key, count) in delta.unpriced { unpriced[key, default: 0] += count }
        overflowEvents += delta.overflowEvents
        duplicateEvents += delta.duplicates
        for (reason, count) in delta.rejected { rejectedEvents[reason, default: 0] += count }
    }

    /// Moves each reporting period to `windows`' window when that one is later: a period's spend
    /// then reads as zero until events of the new window are applied.
    private mutating func advanceReportingWindows(to windows: ReportingWindows) {
        guard var advanced = reportingWindows else {
            reportingWindows = windows
            return
        }
        if windows.day.start > advanced.day.start { advanced.day = windows.day }
        if windows.week.start > advanced.week.start { advanced.week = windows.week }
        if windows.month.start > advanced.month.start { advanced.month = windows.month }
        reportingWindows = advanced
    }

    // MARK: aggregates

    /// Counts every event of one series at once (`totals.requests` of them), as the per-event
    /// path would have counted them had they all arrived when the first one did: the series is
    /// admitted, or sent to `__other__`, at that moment. Fed in the order of each series' first
    /// event, it builds the same ledger as replaying the events one by one, which is what lets a
    /// rebuild sum the usage log in SQL instead of decoding every event.
    public mutating func applyAggregate(_ key: SeriesKey, totals series: SeriesTotals) {
        var delta = Delta()
        let admitted = admittedKey(for: key, delta: &delta)
        let index = indexByKey[admitted.key]
        delta.entries.append(Delta.Entry(key: admitted.key, increment: series, newTotal: SeriesTotals(), isNew: index == nil,
                                         isOverflow: admitted.overflow, seriesIndex: index))
        // One by one, each event of an overflowed series is counted as overflow, except when the
        // overflow series is the series itself (no labels to replace): then only its first event
        // is, as the later ones find their series already there.
        if admitted.overflow { delta.overflowEvents += admitted.key == key ? 1 : series.requests }
        apply(delta)
    }

    /// Counts `events` unpriced events of one provider and model at once; fed in the order of each
    /// pair's first unpriced event, the same as counting them one by one.
    public mutating func applyUnpriced(provider: String, model: String, events: Int64) {
        var delta = Delta()
        delta.unpriced[unpricedKey(provider: provider, model: model, delta: delta), default: 0] += events
        apply(delta)
    }

    // MARK: checkpoints

    /// What changed since the previous checkpoint, in absolute values: the store persists it so
    /// that a restart only replays the events recorded after it.
    public struct Checkpoint: Sendable {
        /// Changed series with their current totals and period spend, in the order they were
        /// first admitted (so a restore admits them in the same order).
        public var series: [(key: SeriesKey, totals: SeriesTotals, periodSpend: PeriodSpend)]
        /// Set when the event-derived bookkeeping counters changed; then they are all here.
        public var counters: Counters?
        /// The reporting windows the ledger counted period spend in when the checkpoint was
        /// taken: a series' period amounts are those of these windows, or stale. Nil while no
        /// batch with windows was applied.
        public var windows: ReportingWindows?

        public struct Counters: Sendable {
            public var unpriced: [ProviderModel: Int64]
            public var overflowEvents: Int64
        }

        public var isEmpty: Bool { series.isEmpty && counters == nil }
    }

    /// Whether anything changed since the last ``takeCheckpoint()``.
    public var hasUncheckpointedChanges: Bool { !dirtyIndices.isEmpty || countersDirty }

    /// Hands out everything changed since the previous checkpoint and starts a new one.
    public mutating func takeCheckpoint() -> Checkpoint {
        dirtyIndices.sort()
        var series: [(key: SeriesKey, totals: SeriesTotals, periodSpend: PeriodSpend)] = []
        series.reserveCapacity(dirtyIndices.count)
        for index in dirtyIndices {
            series.append((keys[index], totals[index], periodSpend[index]))
            isDirty[index] = false
        }
        dirtyIndices.removeAll(keepingCapacity: true)
        let counters = countersDirty ? Checkpoint.Counters(unpriced: unpriced, overflowEvents: overflowEvents) : nil
        countersDirty = false
        return Checkpoint(series: series, counters: counters, windows: reportingWindows)
    }

    /// Marks a checkpoint's changes as not yet persisted again (its write failed).
    public mutating func restoreUncheckpointed(_ checkpoint: Checkpoint) {
        for (key, _, _) in checkpoint.series {
            guard let index = indexByKey[key], !isDirty[index] else { continue }
            isDirty[index] = true
            dirtyIndices.append(index)
        }
        if checkpoint.counters != nil { countersDirty = true }
    }

    // MARK: restoring

    /// Restores one persisted series at startup, in the order it was first admitted, with the
    /// period spend it had at the checkpoint (kept or cleared by ``beginRestoringPeriodSpend(windows:keeping:)``).
    public mutating func restore(_ key: SeriesKey, totals restored: SeriesTotals, periodSpend spend: PeriodSpend = PeriodSpend()) {
        let overflow = key.labelValues.allSatisfy { $0 == SeriesKey.overflowValue } && !key.labelValues.isEmpty
        let index: Int
        if let existing = indexByKey[key] {
            index = existing
            totals[index].add(restored)
        } else {
            index = keys.count
            insert(key, totals: restored, overflow: overflow)
        }
        for period in ReportingPeriod.allCases {
            periodSpend[index].add(spend[period].amounts, period, windowStart: spend[period].start)
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

    /// Starts counting period spend in `windows` after a restore. The checkpoint's amounts of the
    /// periods in `kept` stand (their window is the checkpoint's); every other period is cleared,
    /// for ``restorePeriodSpend(_:time:cost:currency:periods:)`` to count the recorded events of
    /// its window again, and every series is marked changed, so the next checkpoint persists the
    /// recounted amounts rather than leaving the cleared ones' stale rows behind.
    public mutating func beginRestoringPeriodSpend(windows: ReportingWindows, keeping kept: Set<ReportingPeriod> = []) {
        reportingWindows = windows
        let cleared = ReportingPeriod.allCases.filter { !kept.contains($0) }
        guard !cleared.isEmpty else { return }
        for index in periodSpend.indices {
            for period in cleared { periodSpend[index][period] = PeriodSpend.Slot(start: Timestamp(nanosecondsSinceEpoch: .min)) }
            if !isDirty[index] {
                isDirty[index] = true
                dirtyIndices.append(index)
            }
        }
    }

    /// Counts one recorded event in the period spend of the series it was counted in: its own
    /// label set, or the `__other__` series it overflowed into. Events of series the ledger does
    /// not have (the totals were restored without them) and events before a period's start are
    /// left out.
    public mutating func restorePeriodSpend(_ key: SeriesKey, time: Timestamp, cost: Money, currency: String,
                                            periods: [ReportingPeriod] = ReportingPeriod.allCases) {
        guard let windows = reportingWindows,
              let index = indexByKey[key] ?? indexByKey[key.overflowed]
                ?? indexByKey[SeriesKey.fullyOverflowed(labelCount: labelKeys.count)] else { return }
        var amounts = CostAmounts()
        amounts.add(cost, currency: currency)
        for period in periods where time >= windows[period].start {
            periodSpend[index].add(amounts, period, windowStart: windows[period].start)
        }
    }

    private mutating func insert(_ key: SeriesKey, totals initial: SeriesTotals, overflow: Bool) {
        indexByKey[key] = keys.count
        keys.append(key)
        totals.append(initial)
        periodSpend.append(PeriodSpend())
        isDirty.append(false)
        if overflow { overflowCount += 1 } else { regularCount += 1 }
    }
}
