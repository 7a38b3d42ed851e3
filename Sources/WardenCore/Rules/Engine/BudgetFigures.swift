/// A budget's amounts at one check, kept as numbers.
///
/// Why numbers and not texts: a check passes most budgets without a word, yet every reason's
/// ratio and `remaining` text would cost exact-decimal division and formatting under the
/// engine's lock. Kept as amounts, they are derived only when read, which the server does
/// while writing the response, after the lock is released.
public struct BudgetFigures: Sendable, Hashable {
    /// Committed plus reserved usage before this request.
    public var consumed: UsageAmount
    /// ``consumed`` plus this request's estimate in the budget's units.
    public var projected: UsageAmount
    /// The limit of the current window (the rule's plus what rolled over).
    public var limit: UsageAmount
    /// The money limit's currency; nil when the budget limits tokens only.
    public var currency: String?
    public var limitsTokens: Bool

    /// Projected ÷ limit: the larger of the money and token ratios, exact to 10⁻⁹.
    public var usageRatio: Money {
        var best = Money.zero
        if currency != nil { best = max(best, BudgetTracker.ratio(projected.money.attos, limit.money.attos)) }
        if limitsTokens { best = max(best, BudgetTracker.ratio(Int128(projected.tokens), Int128(limit.tokens))) }
        return best
    }

    /// What is left of the limit before this request, in the budget's units:
    /// `"12.50 USD and 300 tokens"`.
    public var remaining: String {
        var text: [UInt8] = []
        forEachRemainingPart { part in
            switch part {
            case .amount(let amount): amount.appendExactDecimal(to: &text)
            case .text(let words): text.append(contentsOf: words.utf8)
            case .literal(let words): words.withUTF8Buffer { text.append(contentsOf: $0) }
            case .count(let tokens): DecimalDigits.appendDecimal(tokens, to: &text)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A piece of ``remaining``: a response writes the pieces straight into its bytes.
    public enum RemainingPart {
        case amount(Money), text(String), literal(StaticString), count(Int64)
    }

    /// ``remaining``'s wording, once for every writer of it.
    @inline(__always)
    public func forEachRemainingPart(_ body: (RemainingPart) -> Void) {
        if let currency {
            let left = limit.money - consumed.money
            body(.amount(left < .zero ? .zero : left))
            body(.literal(" "))
            body(.text(currency))
        }
        if limitsTokens {
            if currency != nil { body(.literal(" and ")) }
            body(.count(max(limit.tokens.subtractingSaturating(consumed.tokens), 0)))
            body(.literal(" tokens"))
        }
    }
}
