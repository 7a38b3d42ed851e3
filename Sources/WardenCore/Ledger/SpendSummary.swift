/// What the spend page shows, computed from the usage log: spend by team, by model and by user
/// for today and this month, and the most recent sessions. (`tokenwarden_user_spend` comes from
/// here too: `user` is no metric label by default, so the usage log is where per-user spend is.)
///
/// Costs are summed as ``Money`` from their exact amounts, never with SQLite's floating `sum()`,
/// so the page shows the same cents as the exports. It is built from one scan of the month's
/// events, newest first (``Builder``); the page says so when that scan is cut short.
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

    /// One event as the summary reads it.
    public struct Record: Sendable {
        public var time: Timestamp
        public var model: String
        public var team: String
        public var session: String?
        public var user: String?
        public var cost: Money
        public var currency: String
        public var tokens: Int64

        public init(time: Timestamp, model: String, team: String, session: String?, user: String?, cost: Money,
                    currency: String, tokens: Int64) {
            self.time = time
            self.model = model
            self.team = team
            self.session = session
            self.user = user
            self.cost = cost
            self.currency = currency
            self.tokens = tokens
        }
    }

    /// The day and month of `calendar` (the reporting zone) containing `now`, as nanosecond
    /// bounds: the scan reads the month.
    public static func window(containing now: Timestamp, calendar: ReportingCalendar = .utc) -> (dayStart: Int64, monthStart: Int64) {
        let windows = calendar.windows(containing: now)
        return (windows.day.start.nanosecondsSinceEpoch, windows.month.start.nanosecondsSinceEpoch)
    }

    /// Adds up records, newest first (so a truncated scan still has today and the recent
    /// sessions right).
    public struct Builder: Sendable {
        struct Key: Hashable { var key: String; var currency: String }
        struct SessionState: Sendable { var requests = 0; var tokens: Int64 = 0; var cost = Money.zero; var currency = ""; var last: Int64 = 0; var recent: [Money] = [] }
        let dayStart: Int64
        var teamsToday: [Key: (Money, Int)] = [:], teamsMonth: [Key: (Money, Int)] = [:]
        var modelsToday: [Key: (Money, Int)] = [:], modelsMonth: [Key: (Money, Int)] = [:]
        var usersToday: [Key: (Money, Int)] = [:], usersMonth: [Key: (Money, Int)] = [:]
        var sessions: [String: SessionState] = [:]
        var scanned = 0

        public init(now: Timestamp, calendar: ReportingCalendar = .utc) {
            dayStart = SpendSummary.window(containing: now, calendar: calendar).dayStart
        }

        public mutating func add(_ record: Record) {
            scanned += 1
            func add(_ table: inout [Key: (Money, Int)], _ key: String) {
                let slot = Key(key: key, currency: record.currency)
                let old = table[slot] ?? (.zero, 0)
                table[slot] = (old.0 + record.cost, old.1 + 1)
            }
            let time = record.time.nanosecondsSinceEpoch
            add(&teamsMonth, record.team)
            add(&modelsMonth, record.model)
            if let user = record.user, !user.isEmpty { add(&usersMonth, user) }
            if time >= dayStart {
                add(&teamsToday, record.team)
                add(&modelsToday, record.model)
                if let user = record.user, !user.isEmpty { add(&usersToday, user) }
            }
            if let session = record.session, !session.isEmpty {
                var state = sessions[session] ?? SessionState()
                state.requests += 1
                state.tokens = state.tokens.addingSaturating(record.tokens)
                state.cost += record.cost
                state.currency = record.currency
                state.last = max(state.last, time)
                if state.recent.count < 20 { state.recent.append(record.cost) }
                sessions[session] = state
            }
        }

        /// The summary; `truncated` when the scan stopped at its limit.
        public func summary(truncated: Bool) -> SpendSummary {
            var summary = SpendSummary()
            summary.scanned = scanned
            summary.truncated = truncated
            func rows(_ table: [Key: (Money, Int)]) -> [Row] {
                table.map { Row(key: $0.key.key, currency: $0.key.currency, cost: $0.value.0, requests: $0.value.1) }
                    .sorted { ($0.cost, $1.key) > ($1.cost, $0.key) }
            }
            summary.teamsToday = rows(teamsToday)
            summary.teamsMonth = rows(teamsMonth)
            summary.modelsToday = rows(modelsToday)
            summary.modelsMonth = rows(modelsMonth)
            summary.usersToday = rows(usersToday)
            summary.usersMonth = rows(usersMonth)
            summary.sessions = sessions.map { name, state in
                Session(session: name, requests: state.requests, tokens: state.tokens, cost: state.cost,
                        currency: state.currency, lastSeen: Timestamp(nanosecondsSinceEpoch: state.last),
                        trend: SpendSummary.trend(newestFirst: state.recent))
            }
            .sorted { ($0.lastSeen, $0.session) > ($1.lastSeen, $1.session) }
            .prefix(SpendSummary.sessionCount).map { $0 }
            return summary
        }
    }

    /// Average cost of the newest 10 requests against the 10 before them; a difference within
    /// 10 % is flat. Integer arithmetic on exact amounts: no rounding decides an arrow.
    static func trend(newestFirst costs: [Money]) -> Trend {
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
