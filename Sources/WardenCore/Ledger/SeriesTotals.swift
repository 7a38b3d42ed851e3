/// The counters kept per series. Every field only grows (they back Prometheus counters), and
/// saturates at its bound rather than trapping (see ``Swift/Int64/addingSaturating(_:)``).
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
    /// Cost per currency, in currency order. Almost always one entry; a series whose model changed
    /// currency between price versions keeps both rather than mixing them.
    public var costs: [CurrencyAmount] {
        get {
            switch costStorage {
            case .none: return []
            case .one(let amount): return [amount]
            case .many(let amounts): return amounts
            }
        }
        set { costStorage = CostStorage(newValue) }
    }

    /// The single-currency case is stored inline: a ledger of 100k series then needs no
    /// allocation per series for its costs (~4 MB less at 100k series, and no array to build or
    /// release when a scrape or a commit touches a series). Always in canonical form (0, 1 or
    /// several entries), so the synthesized equality is that of ``costs``.
    @usableFromInline var costStorage: CostStorage = .none

    @usableFromInline enum CostStorage: Sendable, Hashable {
        case none
        case one(CurrencyAmount)
        case many([CurrencyAmount])

        init(_ amounts: [CurrencyAmount]) {
            switch amounts.count {
            case 0: self = .none
            case 1: self = .one(amounts[0])
            default: self = .many(amounts)
            }
        }
    }

    /// How many currencies ``costs`` has; with ``cost(at:)``, reads them without building the array.
    @inlinable public var costCount: Int {
        switch costStorage {
        case .none: return 0
        case .one: return 1
        case .many(let amounts): return amounts.count
        }
    }

    /// The `position`th entry of ``costs``.
    @inlinable public func cost(at position: Int) -> CurrencyAmount {
        switch costStorage {
        case .none: preconditionFailure("no costs")
        case .one(let amount):
            precondition(position == 0)
            return amount
        case .many(let amounts): return amounts[position]
        }
    }

    /// Each cost in currency order, without building ``costs``.
    public func forEachCost(_ body: (CurrencyAmount) throws -> Void) rethrows {
        switch costStorage {
        case .none: return
        case .one(let amount): try body(amount)
        case .many(let amounts): for amount in amounts { try body(amount) }
        }
    }

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
        uncachedInput = uncachedInput.addingSaturating(tokens.uncachedInput)
        cacheRead = cacheRead.addingSaturating(tokens.cacheRead)
        cacheCreation = cacheCreation.addingSaturating(tokens.cacheCreation)
        output = output.addingSaturating(tokens.output)
        reasoning = reasoning.addingSaturating(tokens.reasoning)
        requests = requests.addingSaturating(1)
        add(cost: cost, currency: currency)
    }

    public mutating func add(cost: Money, currency: String) {
        switch costStorage {
        case .none:
            costStorage = .one(CurrencyAmount(currency: currency, amount: cost))
        case .one(var amount) where amount.currency == currency:
            amount.amount += cost
            costStorage = .one(amount)
        default:
            var amounts = costs
            if let index = amounts.firstIndex(where: { $0.currency == currency }) {
                amounts[index].amount += cost
            } else {
                amounts.append(CurrencyAmount(currency: currency, amount: cost))
                amounts.sort { $0.currency < $1.currency }
            }
            costStorage = CostStorage(amounts)
        }
    }

    public mutating func add(_ other: SeriesTotals) {
        uncachedInput = uncachedInput.addingSaturating(other.uncachedInput)
        cacheRead = cacheRead.addingSaturating(other.cacheRead)
        cacheCreation = cacheCreation.addingSaturating(other.cacheCreation)
        output = output.addingSaturating(other.output)
        reasoning = reasoning.addingSaturating(other.reasoning)
        requests = requests.addingSaturating(other.requests)
        other.forEachCost { add(cost: $0.amount, currency: $0.currency) }
    }

    public func cost(in currency: String) -> Money {
        var found = Money.zero
        forEachCost { if $0.currency == currency { found = $0.amount } }
        return found
    }
}
