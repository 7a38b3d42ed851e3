/// What a budget caps: money in one currency, tokens, or both.
///
/// Written in rule files as `"20000.00 USD"` or `5_000_000 tokens`, or a list of both. Amounts
/// are exact decimals (``Money``), never floats.
public struct BudgetLimit: Sendable, Hashable, CustomStringConvertible {
    public struct MoneyLimit: Sendable, Hashable {
        public var amount: Money
        public var currency: String
    }

    public var money: MoneyLimit?
    public var tokens: Int64?

    public init(money: MoneyLimit? = nil, tokens: Int64? = nil) {
        self.money = money
        self.tokens = tokens
    }

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses one limit term: `"<decimal> <CURRENCY>"` or `"<integer> tokens"`.
    public static func parseTerm(_ text: String) throws(ParseError) -> BudgetLimit {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else {
            throw ParseError(message: "a limit is \"<amount> <CURRENCY>\" (\"5000.00 USD\") or \"<count> tokens\" (\"2_000_000 tokens\"), not \"\(text)\"")
        }
        let unit = String(parts[1])
        if unit == "tokens" || unit == "token" {
            let digits = parts[0].filter { $0 != "_" }
            guard let count = Int64(digits), count > 0, !parts[0].hasPrefix("_"), !parts[0].hasSuffix("_") else {
                throw ParseError(message: "a token limit must be a positive whole number, not \"\(parts[0])\"")
            }
            return BudgetLimit(tokens: count)
        }
        guard unit.count == 3, unit.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw ParseError(message: "unknown limit unit \"\(unit)\" (use an ISO 4217 currency code such as USD, or tokens)")
        }
        let amount: Money
        do { amount = try Money(exactly: parts[0]) } catch {
            throw ParseError(message: "invalid amount \"\(parts[0])\" in limit: \(error)")
        }
        guard amount > .zero else { throw ParseError(message: "a money limit must be positive, not \(parts[0])") }
        return BudgetLimit(money: MoneyLimit(amount: amount, currency: unit))
    }

    /// Whether money in `currency` counts against this limit (a money limit in that currency);
    /// tokens always count against a token limit.
    public func limitsMoney(in currency: String) -> Bool { money?.currency == currency }

    /// Combines a money term and a token term; two terms of the same kind are an error.
    public func merging(_ other: BudgetLimit) throws(ParseError) -> BudgetLimit {
        if money != nil && other.money != nil { throw ParseError(message: "a budget has at most one money limit") }
        if tokens != nil && other.tokens != nil { throw ParseError(message: "a budget has at most one token limit") }
        return BudgetLimit(money: money ?? other.money, tokens: tokens ?? other.tokens)
    }

    public var description: String {
        var terms: [String] = []
        if let money { terms.append("\(money.amount.exactDecimal) \(money.currency)") }
        if let tokens { terms.append("\(tokens) tokens") }
        return terms.joined(separator: " and ")
    }
}
