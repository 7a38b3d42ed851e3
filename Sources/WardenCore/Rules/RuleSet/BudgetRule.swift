/// One `budgets:` entry: what a scope may spend per period, and the ladder of steps taken as
/// usage climbs.
///
/// With `per: [team]` the rule is a template: every distinct value of the `per` labels among
/// matching requests gets its own instance (its own usage, steps and metrics series).
public struct BudgetRule: Sendable {
    public var name: String
    public var scope: ScopeMatcher
    /// Labels that split the rule into one instance per distinct value combination.
    public var per: [String]
    public var period: BudgetPeriod
    /// The zone calendar periods follow (IANA name in ``TimeZoneRules/name``); UTC by default.
    public var timeZone: TimeZoneRules
    public var limit: BudgetLimit
    public var rollover: BudgetRollover?
    /// Sorted by ``ThresholdStep/at``, ascending; no two steps at the same percentage.
    public var thresholds: [ThresholdStep]
    public var source: RuleSource

    public init(name: String, scope: ScopeMatcher = .everything, per: [String] = [], period: BudgetPeriod,
                timeZone: TimeZoneRules = .utc, limit: BudgetLimit, rollover: BudgetRollover? = nil,
                thresholds: [ThresholdStep] = [], source: RuleSource = RuleSource(file: "")) {
        self.name = name
        self.scope = scope
        self.per = per
        self.period = period
        self.timeZone = timeZone
        self.limit = limit
        self.rollover = rollover
        self.thresholds = thresholds.sorted { $0.at < $1.at }
        self.source = source
    }

    /// What makes two loads of a rule "the same budget", so its in-flight state (reservations,
    /// grace clocks, step history) carries over a reload. The limit and the ladder may change.
    public var identity: String {
        "\(name)\u{1F}\(per.joined(separator: ","))\u{1F}\(period)\u{1F}\(timeZone.name)\u{1F}\(scope.description)"
    }
}

/// One rung of a budget's ladder: `{at: 100%, action: throttle, grace: 15m, rate: "10 requests/1m"}`.
public struct ThresholdStep: Sendable {
    public var at: ThresholdPercent
    public var action: StepAction
    /// While the step is younger than this (since usage first reached it in the period), it only
    /// warns: time for a human to react before enforcement starts.
    public var grace: RuleDuration?
    public var message: String?
    /// For `throttle`: the rate requests are let through at while the step is active. Without it
    /// a throttle step refuses every request until the period ends.
    public var rate: StepRate?

    public init(at: ThresholdPercent, action: StepAction, grace: RuleDuration? = nil, message: String? = nil, rate: StepRate? = nil) {
        self.at = at
        self.action = action
        self.grace = grace
        self.message = message
        self.rate = rate
    }
}

/// What a budget step does once it is active. Ordered by strictness.
public enum StepAction: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Recorded and exposed; the request is allowed.
    case notify
    /// The request is allowed with a warning reason.
    case warn
    /// Requests are rate limited (429 with Retry-After) while the step is active.
    case throttle
    /// Requests are refused (403).
    case deny

    var strictness: Int {
        switch self {
        case .notify: 0
        case .warn: 1
        case .throttle: 2
        case .deny: 3
        }
    }

    public static func < (lhs: StepAction, rhs: StepAction) -> Bool { lhs.strictness < rhs.strictness }
}

/// A throttle step's rate: `"10 requests/1m"` or `"50000 tokens/1h"`.
public struct StepRate: Sendable, Hashable, CustomStringConvertible {
    public var limit: Int64
    public var unit: QuotaPolicy.Unit
    public var window: RuleDuration

    public init(limit: Int64, unit: QuotaPolicy.Unit, window: RuleDuration) {
        self.limit = limit
        self.unit = unit
        self.window = window
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public init(parsing text: String) throws(ParseError) {
        let usage = "a rate is \"<count> requests/<duration>\" or \"<count> tokens/<duration>\" such as \"10 requests/1m\", not \"\(text)\""
        let halves = text.split(separator: "/", omittingEmptySubsequences: false)
        guard halves.count == 2 else { throw ParseError(message: usage) }
        let words = halves[0].split(separator: " ", omittingEmptySubsequences: true)
        guard words.count == 2, let count = Int64(words[0].filter { $0 != "_" }), count > 0 else {
            throw ParseError(message: usage)
        }
        switch words[1] {
        case "requests", "request": unit = .requests
        case "tokens", "token": unit = .tokens
        default: throw ParseError(message: usage)
        }
        do { window = try RuleDuration(parsing: String(halves[1]).trimmingWhitespace()) } catch {
            throw ParseError(message: "\(usage): \(error)")
        }
        guard window.nanoseconds > 0 else { throw ParseError(message: usage) }
        limit = count
    }

    /// The GCRA shape of this rate (no burst: a throttled scope gets exactly the rate).
    public var quotaRate: QuotaRate {
        // limit ≥ 1 and window > 0 were checked when parsing.
        (try? QuotaRate(limit: limit, window: window.nanoseconds)) ?? (try! QuotaRate(limit: 1, window: 1))
    }

    public var description: String { "\(limit) \(unit == .requests ? "requests" : "tokens")/\(window)" }
}

/// `rollover:` — how much unspent budget of one period is added to the next one's limit.
///
/// `share` takes a percentage of what was left unspent, `max` caps what is carried (in the
/// limit's unit: money or tokens). Both may be given: the carry is `min(share × unspent, max)`.
/// Only the previous period's base limit counts: carried amounts do not compound.
public struct BudgetRollover: Sendable, Hashable {
    public var share: ThresholdPercent?
    public var maxMoney: Money?
    public var maxTokens: Int64?

    public init(share: ThresholdPercent? = nil, maxMoney: Money? = nil, maxTokens: Int64? = nil) {
        self.share = share
        self.maxMoney = maxMoney
        self.maxTokens = maxTokens
    }

    /// What carries from `unspent` money (already ≥ 0).
    public func carry(money unspent: Money) -> Money {
        var carried = share.map { $0.amountRoundedDown(of: unspent) } ?? unspent
        if let maxMoney, carried > maxMoney { carried = maxMoney }
        return carried
    }

    /// What carries from `unspent` tokens (already ≥ 0).
    public func carry(tokens unspent: Int64) -> Int64 {
        var carried = share.map { $0.tokensRoundedDown(of: unspent) } ?? unspent
        if let maxTokens, carried > maxTokens { carried = maxTokens }
        return carried
    }
}

extension ThresholdPercent {
    /// `percent` of `amount`, rounded down: a carried share never exceeds what was unspent.
    /// The amount is split at 10⁸ attos first, so the product cannot overflow for any amount a
    /// share (at most 100%) is taken of; past Money's range it saturates like every sum.
    public func amountRoundedDown(of amount: Money) -> Money {
        let (whole, rest) = amount.attos.quotientAndRemainder(dividingBy: 100_000_000)
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: Int128(millionths))
        if overflow { return amount < .zero ? .minimum : .maximum }
        return Money(attos: scaled) + Money(attos: rest * Int128(millionths) / 100_000_000)
    }

    public func tokensRoundedDown(of count: Int64) -> Int64 {
        Int64(Int128(count) * Int128(millionths) / 100_000_000)
    }
}
