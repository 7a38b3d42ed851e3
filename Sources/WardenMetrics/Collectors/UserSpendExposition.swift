import Synchronization
import WardenCore

/// `tokenwarden_user_spend{user,currency,period}`: what each user has spent so far in the current
/// day (`period="day"`) and month (`period="month"`) of the reporting zone (`reporting.timezone`),
/// for the "top users" panels.
///
/// Why not a label on the usage counters: `user` is left out of `metric_labels` by default because
/// crossed with team, project, agent and model it multiplies series. Here it is one series per
/// user and period, and bounded: the ``userLimit`` biggest spenders of each period and currency are
/// exposed, the rest summed under `user="__other__"`, so the sum over users stays the period's
/// total of attributed spend.
///
/// The numbers come from the usage log (a ``SpendSummary``: exact money sums over the month's
/// events), recomputed periodically by a service of the runtime and handed over with
/// ``update(_:)``, so a scrape never waits for a scan. The family is absent until the first scan
/// has finished, rather than reporting zeros that are not true.
public final class UserSpendExposition: MetricsCollector {
    public static let userLimit = 1_000

    private let latest = Mutex<Snapshot?>(nil)

    struct Snapshot: Sendable {
        var today: [SpendSummary.Row]
        var month: [SpendSummary.Row]
    }

    public init() {}

    /// The per-user rows of a fresh summary.
    public func update(_ summary: SpendSummary) {
        latest.withLock { $0 = Snapshot(today: summary.usersToday, month: summary.usersMonth) }
    }

    public func write(into writer: inout ExpositionWriter) {
        guard let snapshot = latest.withLock({ $0 }) else { return }
        writer.family("tokenwarden_user_spend", type: .gauge,
                      help: "Spend so far in the current day or month (reporting.timezone) per user (usage log, recomputed periodically); the biggest \(Self.userLimit) per period and currency, the rest summed under the user __other__.")
        for (period, rows) in [("day", snapshot.today), ("month", snapshot.month)] {
            for row in Self.bounded(rows, limit: Self.userLimit) {
                writer.sample("tokenwarden_user_spend",
                              LabelPairs([("user", row.key), ("currency", row.currency), ("period", period)]),
                              row.cost.approximateDouble)
            }
        }
    }

    /// The `limit` biggest rows of each currency, plus one `__other__` row per currency holding the
    /// exact sum of the rest. `rows` come sorted by cost, biggest first.
    static func bounded(_ rows: [SpendSummary.Row], limit: Int) -> [SpendSummary.Row] {
        var kept: [String: Int] = [:]
        var others: [String: SpendSummary.Row] = [:]
        var result: [SpendSummary.Row] = []
        for row in rows {
            if kept[row.currency, default: 0] < limit {
                kept[row.currency, default: 0] += 1
                result.append(row)
            } else {
                var other = others[row.currency]
                    ?? SpendSummary.Row(key: SeriesKey.overflowValue, currency: row.currency, cost: .zero, requests: 0)
                other.cost += row.cost
                other.requests += row.requests
                others[row.currency] = other
            }
        }
        return result + others.values.sorted { $0.currency < $1.currency }
    }
}
