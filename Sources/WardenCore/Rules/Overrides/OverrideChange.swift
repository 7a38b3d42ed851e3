/// What an override does to one budget instance's limit: `"+500.00 USD"` or `"+2_000_000 tokens"`
/// raises it by an amount, `"300.00 USD"` sets it, `"exempt"` lifts its throttle and deny steps.
///
/// Amounts are exact (``Money``, whole tokens) and parsed like a budget's own limit terms.
public enum OverrideChange: Sendable, Hashable, CustomStringConvertible {
    case raise(OverrideAmount)
    case set(OverrideAmount)
    case exempt

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static let syntax = "\"+<amount> <CURRENCY>\" (\"+500.00 USD\"), \"+<count> tokens\", \"<amount> <CURRENCY>\" (sets the limit) or \"exempt\""

    public init(parsing text: String) throws(ParseError) {
        let trimmed = text.trimmingWhitespace()
        if trimmed == "exempt" {
            self = .exempt
            return
        }
        let raising = trimmed.hasPrefix("+")
        let term = raising ? String(trimmed.dropFirst()) : trimmed
        let limit: BudgetLimit
        do throws(BudgetLimit.ParseError) { limit = try BudgetLimit.parseTerm(term) } catch {
            throw ParseError(message: "must be \(Self.syntax), not \"\(text)\": \(error.message)")
        }
        let amount: OverrideAmount = if let money = limit.money { .money(money.amount, currency: money.currency) } else { .tokens(limit.tokens ?? 0) }
        self = raising ? .raise(amount) : .set(amount)
    }

    /// The amount a raise or a set names (nil for `exempt`).
    public var amount: OverrideAmount? {
        switch self {
        case .raise(let amount), .set(let amount): amount
        case .exempt: nil
        }
    }

    /// Why this change cannot apply to a budget limiting `limit`, or nil when it can: its unit must
    /// be one the budget limits (its currency, or tokens).
    public func problem(for limit: BudgetLimit) -> String? {
        guard let amount else { return nil }
        switch amount {
        case .money(_, let currency):
            if limit.money?.currency == currency { return nil }
        case .tokens:
            if limit.tokens != nil { return nil }
        }
        return "the budget limits \(OverrideAmount.unitList(limit)); a change in \(amount.unit) does not apply to it"
    }

    /// `limit` (the instance's limit with what rolled over) as this change leaves it; the unit the
    /// change does not name keeps its value.
    public func applied(to limit: UsageAmount) -> UsageAmount {
        var result = limit
        switch self {
        case .exempt: break
        case .raise(.money(let amount, _)): result.money += amount
        case .raise(.tokens(let count)): result.tokens = result.tokens.addingSaturating(count)
        case .set(.money(let amount, _)): result.money = amount
        case .set(.tokens(let count)): result.tokens = count
        }
        return result
    }

    /// Canonical text: `+500.00 USD`, `300.50 USD`, `+2000000 tokens`, `exempt` (it parses back).
    public var description: String {
        switch self {
        case .raise(let amount): "+\(amount)"
        case .set(let amount): "\(amount)"
        case .exempt: "exempt"
        }
    }
}

/// An amount of money in one currency, or a count of tokens.
public enum OverrideAmount: Sendable, Hashable, CustomStringConvertible {
    case money(Money, currency: String)
    case tokens(Int64)

    /// The currency code, or `tokens`.
    public var unit: String {
        switch self {
        case .money(_, let currency): currency
        case .tokens: "tokens"
        }
    }

    public var description: String {
        switch self {
        case .money(let amount, let currency): "\(Self.cents(amount)) \(currency)"
        case .tokens(let count): "\(count) tokens"
        }
    }

    /// The exact decimal with at least two decimals, as amounts of money are written (`500.00`).
    static func cents(_ amount: Money) -> String {
        var text = amount.exactDecimal
        let decimals = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 }
        switch decimals {
        case nil: text += ".00"
        case 1?: text += "0"
        default: break
        }
        return text
    }

    /// Whether this amount is strictly below the threshold `below` gives for its unit (false when
    /// `below` has none for it).
    public func isBelow(_ below: BudgetLimit) -> Bool {
        switch self {
        case .money(let amount, let currency):
            guard let threshold = below.money, threshold.currency == currency else { return false }
            return amount < threshold.amount
        case .tokens(let count):
            guard let threshold = below.tokens else { return false }
            return count < threshold
        }
    }

    static func unitList(_ limit: BudgetLimit) -> String {
        [limit.money?.currency, limit.tokens.map { _ in "tokens" }].compactMap { $0 }.joined(separator: " and ")
    }
}
