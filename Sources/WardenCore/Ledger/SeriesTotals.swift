/// The counters kept per series. Every field only grows (they back Prometheus counters).
///
/// The four token kinds partition all tokens of a call: ``uncachedInput`` + ``cacheRead`` +
/// ``cacheCreation`` + ``output`` = input_tokens + output_tokens. ``reasoning`` is a subset of
/// ``output`` and is exposed as its own family so that `sum(tokenwarden_tokens_total)` stays the
/// true total.
public struct SeriesTotals: Sendable, Hashable {
    public var uncachedInput: Int64 = 0
    public var cacheRead: Int64 = 0
    public var cacheCreation: Int64 = 0
    public var output: Int64 = 0
    public var reasoning: Int64 = 0
    public var requests: Int64 = 0
    /// Cost per currency. Almost always one entry; a series whose model changed currency between
    /// price versions keeps both rather than mixing them.
    public var costs: [CurrencyAmount] = []

    public init() {}

    public struct CurrencyAmount: Sendable, Hashable {
        public var currency: String
        public var amount: Money
        public init(currency: String, amount: Money) {
            self.currency = currency
            self.amount = amount
        }
    }

    public mutating func add(tokens: TokenUsage, cost: Money, currency: String) {
        uncachedInput += tokens.uncachedInput
        cacheRead += tokens.cacheRead
        cacheCreation += tokens.cacheCreation
        output += tokens.output
        reasoning += tokens.reasoning
        requests += 1
        add(cost: cost, currency: currency)
    }

    public mutating func add(cost: Money, currency: String) {
        if let index = costs.firstIndex(where: { $0.currency == currency }) {
            costs[index].amount += cost
        } else {
            costs.append(CurrencyAmount(currency: currency, amount: cost))
            costs.sort { $0.currency < $1.currency }
        }
    }

    public mutating func add(_ other: SeriesTotals) {
        uncachedInput += other.uncachedInput
        cacheRead += other.cacheRead
        cacheCreation += other.cacheCreation
        output += other.output
        reasoning += other.reasoning
        requests += other.requests
        for entry in other.costs { add(cost: entry.amount, currency: entry.currency) }
    }

    public func cost(in currency: String) -> Money {
        costs.first(where: { $0.currency == currency })?.amount ?? .zero
    }
}
