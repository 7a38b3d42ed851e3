/// Exact amounts of money per currency, in currency order: what a series has cost, in all time
/// (``SeriesTotals``) or in a reporting period (``PeriodSpend``). Almost always one currency; a
/// series whose model changed currency between price versions keeps both rather than mixing them.
///
/// The single-currency case is stored inline: a ledger of 100k series then needs no allocation
/// per series for its costs (~4 MB less at 100k series, and no array to build or release when a
/// scrape or a commit touches a series). Always in canonical form (0, 1 or several entries), so
/// the synthesized equality is that of ``amounts``.
public struct CostAmounts: Sendable, Hashable {
    public struct Amount: Sendable, Hashable {
        public var currency: String
        public var amount: Money
        public init(currency: String, amount: Money) {
            self.currency = currency
            self.amount = amount
        }
    }

    @usableFromInline var storage: Storage = .none

    @usableFromInline enum Storage: Sendable, Hashable {
        case none
        case one(Amount)
        case many([Amount])

        init(_ amounts: [Amount]) {
            switch amounts.count {
            case 0: self = .none
            case 1: self = .one(amounts[0])
            default: self = .many(amounts)
            }
        }
    }

    public init() {}

    public init(_ amounts: [Amount]) { storage = Storage(amounts.sorted { $0.currency < $1.currency }) }

    /// Every amount, in currency order.
    public var amounts: [Amount] {
        get {
            switch storage {
            case .none: return []
            case .one(let amount): return [amount]
            case .many(let amounts): return amounts
            }
        }
        set { storage = Storage(newValue) }
    }

    public var isEmpty: Bool { count == 0 }

    /// How many currencies there are; with ``amount(at:)``, reads them without building the array.
    @inlinable public var count: Int {
        switch storage {
        case .none: return 0
        case .one: return 1
        case .many(let amounts): return amounts.count
        }
    }

    /// The `position`th entry of ``amounts``.
    @inlinable public func amount(at position: Int) -> Amount {
        switch storage {
        case .none: preconditionFailure("no costs")
        case .one(let amount):
            precondition(position == 0)
            return amount
        case .many(let amounts): return amounts[position]
        }
    }

    /// Each amount in currency order, without building ``amounts``.
    public func forEach(_ body: (Amount) throws -> Void) rethrows {
        switch storage {
        case .none: return
        case .one(let amount): try body(amount)
        case .many(let amounts): for amount in amounts { try body(amount) }
        }
    }

    public mutating func add(_ cost: Money, currency: String) {
        switch storage {
        case .none:
            storage = .one(Amount(currency: currency, amount: cost))
        case .one(var amount) where amount.currency == currency:
            amount.amount += cost
            storage = .one(amount)
        default:
            var amounts = self.amounts
            if let index = amounts.firstIndex(where: { $0.currency == currency }) {
                amounts[index].amount += cost
            } else {
                amounts.append(Amount(currency: currency, amount: cost))
                amounts.sort { $0.currency < $1.currency }
            }
            storage = Storage(amounts)
        }
    }

    public mutating func add(_ other: CostAmounts) {
        other.forEach { add($0.amount, currency: $0.currency) }
    }

    /// The amount in `currency`, zero when there is none.
    public func amount(in currency: String) -> Money {
        var found = Money.zero
        forEach { if $0.currency == currency { found = $0.amount } }
        return found
    }
}
