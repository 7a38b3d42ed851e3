/// Prices that replace the base prices for a whole call whose input exceeds a size:
/// "above 200,000 input tokens, input costs 5.00 and output 15.00 per million".
///
/// A tier need not price every bucket; a bucket it leaves out keeps the base price
/// (see ``ModelPrice`` for the full rule).
public struct PriceTier: Sendable, Hashable {
    /// The tier applies when the call's input tokens (cached ones included) are strictly
    /// greater than this.
    public var aboveInputTokens: Int64
    public var prices: TokenPrices

    public init(aboveInputTokens: Int64, prices: TokenPrices) {
        self.aboveInputTokens = aboveInputTokens
        self.prices = prices
    }
}
