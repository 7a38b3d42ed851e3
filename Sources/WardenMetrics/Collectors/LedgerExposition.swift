import Synchronization
import WardenCore

/// Renders the ledger's counters as the public metric families.
///
/// Each ledger series renders its escaped label bytes once, the first time a scrape sees it,
/// and keeps them by series index (series are append-only), so a scrape of 100k series only
/// copies bytes. The ledger is read by copying its arrays under the lock — copy-on-write makes
/// that O(1) — and rendering happens outside it, so ingest never waits for a scrape.
///
/// A scrape works from one ``Snapshot``: every counter of the response comes from the same moment,
/// however long the client takes to read it, and the next scrape's snapshot is later, so counters
/// never go backwards. The per-label-set families can be rendered a slice at a time
/// (``writeLabelSetFamilies(_:cursor:into:untilBytes:)``) so a streamed response never holds the body.
///
/// With a ``ReportingCalendar`` and a clock, the ledger's period spend is exposed too:
/// `tokenwarden_period_cost` (one sample per cost sample and period, the exact amounts of the
/// current day, week and month) and `tokenwarden_period_start_timestamp_seconds`.
public final class LedgerExposition: Sendable {
    private let ledger: LiveLedger
    private let reporting: ReportingCalendar?
    private let clock: (any WallClock)?
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
    private static let kindAudioInput = LabelPairs([("kind", "audio_input")]).bytes
    private static let kindAudioOutput = LabelPairs([("kind", "audio_output")]).bytes

    public init(ledger: LiveLedger, reporting: ReportingCalendar? = nil, clock: (any WallClock)? = nil) {
        self.ledger = ledger
        self.reporting = reporting
        self.clock = clock
    }

    /// The ledger at one moment, with each label set's rendered labels. Holding one keeps the
    /// ledger's arrays of that moment alive (the ledger copies them on its next change).
    package struct Snapshot: Sendable {
        var labels: [LabelPairs]
        /// Total size of `labels`' bytes.
        var labelBytes: Int
        /// Each label set's provider and model, for the per-model families.
        var keys: [SeriesKey]
        var totals: [SeriesTotals]
        var seriesLimit: Int
        var unpriced: [Ledger.ProviderModel: Int64]
        var overflowEvents: Int64
        var duplicateEvents: Int64
        var rejectedEvents: [String: Int64]
        var periodSpend: [PeriodSpend]
        /// The windows the period families report (nil: no period families): the clock's current
        /// ones, or the ledger's where an event's commit already moved it on.
        var periodWindows: ReportingWindows?
        var reporting: ReportingCalendar?

        var labelSetCount: Int { totals.count }
    }

    /// Where a slice-by-slice render of the per-label-set families stands.
    package struct Cursor {
        /// 0 tokens, 1 reasoning tokens, 2 cost, 3 requests, 4 period cost; 5 when all are written.
        fileprivate var family = 0
        /// The next label set of `family`.
        fileprivate var index = 0
        fileprivate var currencyLabels: [String: [UInt8]] = [:]
        /// `currency="…",period="…"` per currency, one per ``ReportingPeriod`` in order.
        fileprivate var periodLabels: [String: [[UInt8]]] = [:]

        package var isFinished: Bool { family == 5 }

        package init() {}
    }

    package func snapshot() -> Snapshot {
        let read = ledger.read { ledger in
            (keys: ledger.keys, totals: ledger.totals, labelKeys: ledger.labelKeys, seriesLimit: ledger.seriesLimit,
             unpriced: ledger.unpriced, overflowEvents: ledger.overflowEvents,
             duplicateEvents: ledger.duplicateEvents, rejectedEvents: ledger.rejectedEvents,
             periodSpend: ledger.periodSpend, reportingWindows: ledger.reportingWindows)
        }
        var periodWindows: ReportingWindows?
        if let reporting, let clock {
            var windows = reporting.windows(containing: clock.now())
            if let recorded = read.reportingWindows {
                if recorded.day.start > windows.day.start { windows.day = recorded.day }
                if recorded.week.start > windows.week.start { windows.week = recorded.week }
                if recorded.month.start > windows.month.start { windows.month = recorded.month }
            }
            periodWindows = windows
        }
        let (labels, labelBytes) = labelCache.withLock { cache in
            if cache.labels.count < read.keys.count {
                // Label names are the same for every series: validated once, values escaped once per series.
                let template = LabelTemplate(names: ["provider", "model"] + read.labelKeys)
                cache.labels.reserveCapacity(read.keys.count)
                while cache.labels.count < read.keys.count {
                    let key = read.keys[cache.labels.count]
                    let rendered = template.render([key.provider, key.model] + key.labelValues)
                    cache.totalBytes += rendered.bytes.count
                    cache.labels.append(rendered)
                }
            }
            return (cache.labels, cache.totalBytes)
        }
        return Snapshot(labels: labels, labelBytes: labelBytes, keys: read.keys, totals: read.totals, seriesLimit: read.seriesLimit,
                        unpriced: read.unpriced, overflowEvents: read.overflowEvents,
                        duplicateEvents: read.duplicateEvents, rejectedEvents: read.rejectedEvents,
                        periodSpend: read.periodSpend, periodWindows: periodWindows, reporting: reporting)
    }

    /// Every ledger family of one snapshot, at once.
    public func write(into writer: inout ExpositionWriter, rejectionReasons: [String]) {
        let snapshot = snapshot()
        // Seven samples per series (ten with the periods), each its labels plus name, extra label
        // and value: reserving it up front spares the first scrape of a large ledger the copies of
        // a growing buffer.
        let samples = snapshot.periodWindows == nil ? 7 : 10
        writer.reserveAdditional(samples * snapshot.labelBytes + snapshot.labelSetCount * samples * 72)
        var cursor = Cursor()
        Self.writeLabelSetFamilies(snapshot, cursor: &cursor, into: &writer, untilBytes: .max)
        Self.writeLedgerTotals(snapshot, rejectionReasons: rejectionReasons, into: &writer)
    }

    /// Label sets rendered between two checks of the writer's size: small enough that a slice
    /// overshoots `untilBytes` by little, large enough that the check costs nothing.
    private static let slice = 64

    /// The families with samples per label set (`tokens_total`, `reasoning_tokens_total`,
    /// `cost_total`, `requests_total`, `period_cost`), from `cursor` on, until the writer holds at least
    /// `untilBytes` or they are complete (``Cursor/isFinished``).
    package static func writeLabelSetFamilies(_ snapshot: Snapshot, cursor: inout Cursor, into writer: inout ExpositionWriter,
                                      untilBytes: Int) {
        let count = snapshot.labelSetCount
        let labels = snapshot.labels
        let totals = snapshot.totals
        while !cursor.isFinished && writer.byteCount < untilBytes {
            if cursor.family == 4 && snapshot.periodWindows == nil {
                cursor.family += 1
                continue
            }
            if cursor.index == 0 { startFamily(cursor.family, into: &writer) }
            let range = cursor.index..<min(count, cursor.index + slice)
            switch cursor.family {
            case 0:
                writer.samples(prefix: writer.sampleName("tokenwarden_tokens_total"), labels: labels, range: range,
                               extras: [Self.kindInput, Self.kindCacheRead, Self.kindCacheCreation, Self.kindOutput]) { index, kind in
                    switch kind {
                    case 0: return totals[index].uncachedInput
                    case 1: return totals[index].cacheRead
                    case 2: return totals[index].cacheCreation
                    default: return totals[index].output
                    }
                }
                // Audio kinds only for label sets that have audio tokens: a text-only deployment
                // keeps four series per label set.
                let name = writer.sampleName("tokenwarden_tokens_total")
                for index in range where totals[index].audioInput != 0 || totals[index].audioOutput != 0 {
                    writer.sample(prefix: name, labels[index], extra: Self.kindAudioInput, totals[index].audioInput)
                    writer.sample(prefix: name, labels[index], extra: Self.kindAudioOutput, totals[index].audioOutput)
                }
            case 1:
                writer.samples(prefix: writer.sampleName("tokenwarden_reasoning_tokens_total"), labels: labels, range: range,
                               extras: [[]]) { index, _ in totals[index].reasoning }
            case 2:
                writeCost(snapshot, range: range, currencyLabels: &cursor.currencyLabels, into: &writer)
            case 4:
                writePeriodCost(snapshot, range: range, periodLabels: &cursor.periodLabels, into: &writer)
            default:
                writer.samples(prefix: writer.sampleName("tokenwarden_requests_total"), labels: labels, range: range,
                               extras: [[]]) { index, _ in totals[index].requests }
            }
            if range.upperBound == count {
                cursor.family += 1
                cursor.index = 0
            } else {
                cursor.index = range.upperBound
            }
        }
    }

    private static func startFamily(_ family: Int, into writer: inout ExpositionWriter) {
        switch family {
        case 0:
            writer.family("tokenwarden_tokens_total", type: .counter,
                          help: "LLM tokens by kind. The kinds input (uncached text), audio_input (uncached audio), cache_read, cache_creation, output (text) and audio_output partition all tokens, so sum() is the total.")
        case 1:
            writer.family("tokenwarden_reasoning_tokens_total", type: .counter,
                          help: "Reasoning tokens, a subset of the output tokens.")
        case 2:
            writer.family("tokenwarden_cost_total", type: .counter,
                          help: "Cost of LLM usage in currency units, exact to 1e-18 in the ledger (floating point only here).")
        case 3:
            writer.family("tokenwarden_requests_total", type: .counter, help: "LLM calls recorded (usage events).")
        default:
            writer.family("tokenwarden_period_cost", type: .gauge,
                          help: "Cost so far in the current reporting day, week or month (reporting.timezone), exact decimal amounts from the ledger; the period starts at tokenwarden_period_start_timestamp_seconds.")
        }
    }

    private static func writeCost(_ snapshot: Snapshot, range: Range<Int>, currencyLabels: inout [String: [UInt8]],
                                  into writer: inout ExpositionWriter) {
        let cost = writer.sampleName("tokenwarden_cost_total")
        var lastCurrency: (name: String, bytes: [UInt8]) = ("", [])
        for index in range {
            let totals = snapshot.totals[index]
            for position in 0..<totals.costCount {
                let amount = totals.cost(at: position)
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
                writer.sample(prefix: cost, snapshot.labels[index], extra: currency, amount.amount.approximateDouble)
            }
        }
    }

    /// `tokenwarden_period_cost`: for each cost sample of a label set, its amount in each period
    /// (zero when the label set spent nothing in it yet), so every period has the same series as
    /// `tokenwarden_cost_total` and a sum over them never misses one.
    private static func writePeriodCost(_ snapshot: Snapshot, range: Range<Int>, periodLabels: inout [String: [[UInt8]]],
                                        into writer: inout ExpositionWriter) {
        guard let windows = snapshot.periodWindows else { return }
        let name = writer.sampleName("tokenwarden_period_cost")
        let starts = ReportingPeriod.allCases.map { windows[$0].start }
        for index in range {
            let totals = snapshot.totals[index]
            let spend = snapshot.periodSpend[index]
            for position in 0..<totals.costCount {
                let currency = totals.cost(at: position).currency
                let labels: [[UInt8]]
                if let known = periodLabels[currency] {
                    labels = known
                } else {
                    labels = ReportingPeriod.allCases.map { LabelPairs([("currency", currency), ("period", $0.rawValue)]).bytes }
                    periodLabels[currency] = labels
                }
                for (number, period) in ReportingPeriod.allCases.enumerated() {
                    let amount = spend.amounts(period, windowStart: starts[number]).amount(in: currency)
                    writer.sample(prefix: name, snapshot.labels[index], extra: labels[number], amount)
                }
            }
        }
    }

    /// `tokenwarden_media_units_total{provider,model,kind}`: images and audio seconds per provider
    /// and model (summed over attribution labels, so at most three series per model with media
    /// usage), only the kinds a model has used. Seconds are written as exact decimals.
    private static func writeMediaUnits(_ snapshot: Snapshot, into writer: inout ExpositionWriter) {
        var byModel: [Ledger.ProviderModel: (images: Int64, input: MediaSeconds, output: MediaSeconds)] = [:]
        for (index, totals) in snapshot.totals.enumerated()
        where totals.images != 0 || !totals.audioInputSeconds.isZero || !totals.audioOutputSeconds.isZero {
            let labels = Ledger.ProviderModel(provider: snapshot.keys[index].provider, model: snapshot.keys[index].model)
            var sum = byModel[labels, default: (0, .zero, .zero)]
            sum.images = sum.images.addingSaturating(totals.images)
            sum.input = sum.input.adding(totals.audioInputSeconds)
            sum.output = sum.output.adding(totals.audioOutputSeconds)
            byModel[labels] = sum
        }
        writer.family("tokenwarden_media_units_total", type: .counter,
                      help: "Media units of LLM calls by kind: image (images generated), audio_input_seconds and audio_output_seconds (seconds of audio, exact decimals).")
        let name = writer.sampleName("tokenwarden_media_units_total")
        for (key, sum) in byModel.sorted(by: { ($0.key.provider, $0.key.model) < ($1.key.provider, $1.key.model) }) {
            let labels = LabelPairs([("provider", key.provider), ("model", key.model)])
            if sum.images != 0 { writer.sample(prefix: name, labels, extra: Self.kindImage, sum.images) }
            if !sum.input.isZero { writer.sample(prefix: name, labels, extra: Self.kindAudioInputSeconds, Self.exact(sum.input)) }
            if !sum.output.isZero { writer.sample(prefix: name, labels, extra: Self.kindAudioOutputSeconds, Self.exact(sum.output)) }
        }
    }

    private static let kindImage = LabelPairs([("kind", "image")]).bytes
    private static let kindAudioInputSeconds = LabelPairs([("kind", "audio_input_seconds")]).bytes
    private static let kindAudioOutputSeconds = LabelPairs([("kind", "audio_output_seconds")]).bytes

    /// Seconds as a decimal amount, for the writer's exact-decimal sample: the same digits,
    /// never through a float.
    private static func exact(_ seconds: MediaSeconds) -> Money {
        Money(attos: Int128(seconds.microseconds) * (Money.attosPerUnit / Int128(MediaSeconds.microsecondsPerSecond)))
    }

    /// The ledger's small families: rejections, duplicates, unpriced events, overflow, series counts.
    package static func writeLedgerTotals(_ snapshot: Snapshot, rejectionReasons: [String], into writer: inout ExpositionWriter) {
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
        writeMediaUnits(snapshot, into: &writer)
        writer.family("tokenwarden_series_overflow_total", type: .counter,
                      help: "Usage events counted under the label value __other__ because the series limit was reached.")
        writer.sample("tokenwarden_series_overflow_total", .empty, snapshot.overflowEvents)
        writer.family("tokenwarden_metrics_series", type: .gauge,
                      help: "Label sets (provider, model, attribution labels) in the ledger behind the usage families.")
        writer.sample("tokenwarden_metrics_series", .empty, snapshot.labelSetCount)
        writer.family("tokenwarden_metrics_series_limit", type: .gauge,
                      help: "Label sets admitted before new ones are counted under __other__.")
        writer.sample("tokenwarden_metrics_series_limit", .empty, snapshot.seriesLimit)
        if let windows = snapshot.periodWindows, let reporting = snapshot.reporting {
            // The zone as a label, so a dashboard can name it in its period panels' titles. A gauge
            // in both formats, as tokenwarden_build_info, because promtool rejects the info type.
            writer.family("tokenwarden_reporting_info", type: .gauge,
                          help: "The reporting time zone and week start (reporting: in tokenwarden.yaml) of tokenwarden_period_cost, tokenwarden_user_spend and the spend page; always 1.")
            writer.sample("tokenwarden_reporting_info", LabelPairs([("timezone", reporting.timeZone.name),
                                                                    ("week_start", reporting.weekStart.description)]), Int64(1))
            writer.family("tokenwarden_period_start_timestamp_seconds", type: .gauge,
                          help: "Start of the current reporting day, week or month (reporting.timezone, reporting.week_start) that tokenwarden_period_cost counts.",
                          unit: "seconds")
            for period in ReportingPeriod.allCases {
                writer.sample("tokenwarden_period_start_timestamp_seconds", LabelPairs([("period", period.rawValue)]),
                              windows[period].start.secondsSinceEpoch)
            }
        }
    }
}
