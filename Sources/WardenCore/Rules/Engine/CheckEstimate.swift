extension CheckRequest {
    /// Prices the request's estimate with the catalog at `time`: the estimated input tokens as
    /// uncached input and `max_output_tokens` as output (the most the call may cost). Returns
    /// false when the model has no price; the request is left unchanged then.
    ///
    /// One function, so `POST /v1/check` and `tokenwarden test rules` estimate alike.
    public mutating func priceEstimate(with catalog: PriceCatalog, at time: Timestamp) -> Bool {
        guard let match = catalog.lookup(provider: provider, model: model, at: time) else { return false }
        estimatedCost = match.cost(of: TokenUsage(input: estimatedInputTokens, output: maxOutputTokens))
        currency = match.currency
        return true
    }

    /// Why an unpriced estimate is refused (the 422 of `POST /v1/check`).
    public var unknownModelMessage: String {
        "unknown model \"\(model)\" of provider \"\(provider)\": no price to estimate the cost; "
            + "send estimated_cost or add the model to a pricing file"
    }
}
