/// The unit a pricing file writes its prices in: per token (LiteLLM's way) or per million tokens
/// (the way providers publish them).
public enum PriceUnit: String, Sendable, Hashable, CaseIterable {
    case token
    case million

    /// Parses a price written in this unit into a per-token ``Money``, exactly.
    ///
    /// A per-million price is divided by 10⁶ in the decimal text itself (its exponent is
    /// lowered by 6) before it is rounded to 10⁻¹⁸, so the result is rounded once, half to even,
    /// and only when the per-token value has more than 18 decimals.
    public func perTokenPrice(fromText text: String) throws(Money.ParseError) -> Money.ParseResult {
        switch self {
        case .token:
            return try Money.parse(text)
        case .million:
            return try Money.parse(Self.dividingByMillion(text))
        }
    }

    /// `text` with its decimal exponent lowered by 6: `2.50` → `2.50e-6`, `1e-3` → `1e-9`.
    /// Text whose exponent is malformed is returned as is, for ``Money/parse(_:)`` to reject.
    static func dividingByMillion(_ text: String) -> String {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else { return text + "e-6" }
        guard let exponent = Int(text[text.index(after: e)...]), abs(exponent) <= 400 else { return text }
        return text[..<e] + "e" + String(exponent - 6)
    }

    /// A per-token price written in this unit, as exact decimal text (no exponent).
    /// `nil` when a per-million value would not fit in ``Money``.
    public func text(forPerTokenPrice price: Money) -> String? {
        switch self {
        case .token:
            return price.exactDecimal
        case .million:
            let (scaled, overflow) = price.attos.multipliedReportingOverflow(by: 1_000_000)
            return overflow ? nil : Money(attos: scaled).exactDecimal
        }
    }
}
