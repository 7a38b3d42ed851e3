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
        appendRemaining(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``remaining``'s UTF-8 without building the `String` (the check response writes
    /// one per budget).
    public func appendRemaining(to output: inout [UInt8]) {
        if let currency {
            let left = limit.money - consumed.money
            (left < .zero ? .zero : left).appendExactDecimal(to: &output)
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: currency.utf8)
        }
        if limitsTokens {
            if currency != nil { output.append(contentsOf: " and ".utf8) }
            JSONWriter.appendDecimal(max(limit.tokens - consumed.tokens, 0), to: &output)
            output.append(contentsOf: " tokens".utf8)
        }
    }

    /// Writes ``remaining`` as a JSON string value, in parts, straight into `writer`.
    public func writeRemaining(into writer: inout JSONWriter) {
        writer.beginString()
        if let currency {
            let left = limit.money - consumed.money
            writer.stringPart(left < .zero ? .zero : left)
            writer.stringPart(literal: " ")
            writer.stringPart(currency)
        }
        if limitsTokens {
            if currency != nil { writer.stringPart(literal: " and ") }
            writer.stringPart(max(limit.tokens - consumed.tokens, 0))
            writer.stringPart(literal: " tokens")
        }
        writer.endString()
    }
}
