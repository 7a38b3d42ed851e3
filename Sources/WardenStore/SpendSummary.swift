import GRDB
import WardenCore

/// What the spend page shows, computed from the usage log: spend by team, by model and by user
/// for today and this month, and the most recent sessions. (`tokenwarden_user_spend` comes from
/// here too: `user` is no metric label by default, so the usage log is where per-user spend is.)
///
/// Costs are summed as ``Money`` from their exact decimal text, never with SQLite's floating
/// `sum()`, so the page shows the same cents as the exports. The price is one scan of the month's
/// events (by the time index); the page says so when that scan is cut short.
public struct SpendSummary: Sendable {
    public struct Row: Sendable, Equatable {
        public var key: String
        public var currency: String
        public var cost: Money
        public var requests: Int

        public init(key: String, currency: String, cost: Money, requests: Int) {
            self.key = key
            self.currency = currency
            self.cost = cost
            self.requests = requests
        }
    }

    /// Whether the last 10 requests of a session cost more or less on average than the 10 before.
    public enum Trend: String, Sendable {
        case up, down, flat
        /// Fewer than two requests: nothing to compare.
        case none
    }

    public struct Session: Sendable {
        public var session: String
        public var requests: Int
        public var tokens: Int64
        public var cost: Money
        public var currency: String
        public var lastSeen: Timestamp
        public var trend: Trend
    }

    public var teamsToday: [Row] = []
    public var teamsMonth: [Row] = []
    public var modelsToday: [Row] = []
    public var modelsMonth: [Row] = []
    /// Events without a `user` attribution are left out of these two.
    public var usersToday: [Row] = []
    public var usersMonth: [Row] = []
    /// The 30 sessions seen most recently this month, newest first.
    public var sessions: [Session] = []
    /// Events scanned; when it reached the scan limit, older events of the month were left out.
    public var scanned: Int = 0
    public var truncated = false

    /// Sessions kept on the page.
    public static let sessionCount = 30
}

extension UsageStore {
    /// The summary for the UTC day and month containing `now`, reading at most `scanLimit` of the
    /// month's most recent events.
    public func spendSummary(now: Timestamp, scanLimit: Int = 2_000_000) throws(StoreError) -> SpendSummary {
        let date = CivilDate(daysSinceEpoch: Int(now.secondsSinceEpoch.floorDivided(by: 86_400)))
        let dayStart = Int64(date.daysSinceEpoch) * 86_400_000_000_000
        let monthStart = Int64(CivilDate(year: date.year, month: date.month, day: 1).daysSinceEpoch) * 86_400_000_000_000
        struct Key: Hashable { var key: String; var currency: String }
        var teamsToday: [Key: (Money, Int)] = [:], teamsMonth: [Key: (Money, Int)] = [:]
        var modelsToday: [Key: (Money, Int)] = [:], modelsMonth: [Key: (Money, Int)] = [:]
        var usersToday: [Key: (Money, Int)] = [:], usersMonth: [Key: (Money, Int)] = [:]
        struct SessionState { var requests = 0; var tokens: Int64 = 0; var cost = Money.zero; var currency = ""; var last: Int64 = 0; var recent: [Money] = [] }
        var sessions: [String: SessionState] = [:]
        var summary = SpendSummary()
        do {
            try pool.read { db in
                // Newest first, so a truncated scan still has today and the recent sessions right.
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT time_ns, model, team, session, cost, currency, input_tokens + output_tokens, user
                    FROM usage_event WHERE time_ns >= ? ORDER BY time_ns DESC, seq DESC LIMIT ?
                    """, arguments: [monthStart, scanLimit])
                while let row = try rows.next() {
                    summary.scanned += 1
                    let time: Int64 = row[0]
                    let model: String = row[1]
                    let team: String = row[2] ?? ""
                    let costText: String = row[4]
                    let currency: String = row[5]
                    let cost = try Money.parse(costText).money
                    func add(_ table: inout [Key: (Money, Int)], _ key: String) {
                        let slot = Key(key: key, currency: currency)
                        let old = table[slot] ?? (.zero, 0)
                        table[slot] = (old.0 + cost, old.1 + 1)
                    }
                    add(&teamsMonth, team)
                    add(&modelsMonth, model)
                    let user: String? = row[7]
                    if let user, !user.isEmpty { add(&usersMonth, user) }
                    if time >= dayStart {
                        add(&teamsToday, team)
                        add(&modelsToday, model)
                        if let user, !user.isEmpty { add(&usersToday, user) }
                    }
                    if let session: String = row[3], !session.isEmpty {
                        var state = sessions[session] ?? SessionState()
                        state.requests += 1
                        state.tokens += row[6] as Int64
                        state.cost += cost
                        state.currency = currency
                        state.last = max(state.last, time)
                        if state.recent.count < 20 { state.recent.append(cost) }
                        sessions[session] = state
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the spend summary failed: \(error)")
        }
        summary.truncated = summary.scanned >= scanLimit
        func rows(_ table: [Key: (Money, Int)]) -> [SpendSummary.Row] {
            table.map { SpendSummary.Row(key: $0.key.key, currency: $0.key.currency, cost: $0.value.0, requests: $0.value.1) }
                .sorted { ($0.cost, $1.key) > ($1.cost, $0.key) }
        }
        summary.teamsToday = rows(teamsToday)
        summary.teamsMonth = rows(teamsMonth)
        summary.modelsToday = rows(modelsToday)
        summary.modelsMonth = rows(modelsMonth)
        summary.usersToday = rows(usersToday)
        summary.usersMonth = rows(usersMonth)
        summary.sessions = sessions.map { name, state in
            SpendSummary.Session(session: name, requests: state.requests, tokens: state.tokens, cost: state.cost,
                                 currency: state.currency, lastSeen: Timestamp(nanosecondsSinceEpoch: state.last),
                                 trend: Self.trend(newestFirst: state.recent))
        }
        .sorted { ($0.lastSeen, $0.session) > ($1.lastSeen, $1.session) }
        .prefix(SpendSummary.sessionCount).map { $0 }
        return summary
    }

    /// Average cost of the newest 10 requests against the 10 before them; a difference within
    /// 10 % is flat. Integer arithmetic on exact amounts: no rounding decides an arrow.
    static func trend(newestFirst costs: [Money]) -> SpendSummary.Trend {
        let recent = costs.prefix(10), before = costs.dropFirst(10).prefix(10)
        guard !recent.isEmpty, !before.isEmpty else { return .none }
        let recentSum = recent.reduce(Money.zero, +).attos, beforeSum = before.reduce(Money.zero, +).attos
        // recentAverage vs beforeAverage: recentSum / r vs beforeSum / b, scaled by 10 for the 10 % band.
        let left = recentSum * Int128(before.count) * 10
        let right = beforeSum * Int128(recent.count)
        if left > right * 11 { return .up }
        if left < right * 9 { return .down }
        return .flat
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? quotient - 1 : quotient
    }
}
