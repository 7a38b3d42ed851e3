extension CheckRequest {
    /// Prices the request's estimate with the catalog at `time`: the estimated input tokens as
    /// uncached input (its audio tokens at the audio-input price), `max_output_tokens` as output
    /// (its audio tokens at the audio-output price: the most the call may cost), plus the images
    /// and audio seconds at their per-unit prices, exactly as a usage event is priced. Fails when
    /// the model has no price, or its entry has none for a unit the estimate uses; the request is
    /// left unchanged then.
    ///
    /// One function, so `POST /v1/check` and `tokenwarden test rules` estimate alike.
    @discardableResult
    public mutating func priceEstimate(with catalog: PriceCatalog, at time: Timestamp) -> Result<Void, UnpricedEstimate> {
        guard let match = catalog.lookup(provider: provider, model: model, at: time) else {
            return .failure(UnpricedEstimate(
                field: "model",
                message: "unknown model \"\(model)\" of provider \"\(provider)\": no price to estimate the cost; "
                    + "send estimated_cost or add the model to a pricing file"))
        }
        let tokens = TokenUsage(input: estimatedInputTokens, output: maxOutputTokens,
                                audioInput: audioInputTokens, audioOutput: audioOutputTokens)
        switch match.cost(of: tokens, media: media) {
        case .success(let cost):
            estimatedCost = cost
            currency = match.currency
            return .success(())
        case .failure(let missing):
            let field = missing == .tokens ? "estimated_input_tokens" : missing.field
            return .failure(UnpricedEstimate(
                field: field,
                message: "\(field): model \"\(model)\" of provider \"\(provider)\" has \(missing) in the catalog; "
                    + "send estimated_cost or add the price to the model's pricing entry"))
        }
    }
}

/// Why a check's estimate could not be priced (the 422 of `POST /v1/check`): the field whose
/// value needs the missing price (`model` for a model without any) and a message naming it.
public struct UnpricedEstimate: Error, Sendable, Hashable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
