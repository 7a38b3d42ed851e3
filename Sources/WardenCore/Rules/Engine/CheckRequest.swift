/// One pre-flight question from an agent: "may I make this call, and what will it cost me?"
///
/// The estimate is priced by the caller (the server holds the catalog), so the engine stays pure.
public struct CheckRequest: Sendable {
    public var provider: String
    public var model: String
    public var attribution: Attribution
    public var estimatedInputTokens: Int64
    public var maxOutputTokens: Int64
    /// Audio tokens among ``estimatedInputTokens`` and ``maxOutputTokens`` (priced at the audio
    /// rates), as `audio_input_tokens` / `audio_output_tokens` are among a usage event's tokens.
    public var audioInputTokens: Int64 = 0
    public var audioOutputTokens: Int64 = 0
    /// Images and audio seconds the call is expected to use, priced per unit.
    public var media: MediaUsage = .none
    /// The priced estimate (or the caller's own `estimated_cost`), in ``currency``.
    public var estimatedCost: Money
    public var currency: String
    /// The quota priority class (`priority` in the body; `normal` by default).
    public var priority: QuotaPriority
    /// The name of the API key that asked, when authentication applies: its reservation records
    /// it, and counts against the key's share of live reservations.
    public var keyName: String?
    /// The `require_approval` policies an approval lets this check pass (the runtime checked the
    /// approval named by `approval_id`: its key, estimate, uses and window); empty for most checks.
    public var approvedPolicies: [String] = []

    public init(provider: String, model: String, attribution: Attribution, estimatedInputTokens: Int64 = 0,
                maxOutputTokens: Int64 = 0, estimatedCost: Money = .zero, currency: String = "USD",
                priority: QuotaPriority = .normal, keyName: String? = nil) {
        self.provider = provider
        self.model = model
        self.attribution = attribution
        self.estimatedInputTokens = estimatedInputTokens
        self.maxOutputTokens = maxOutputTokens
        self.estimatedCost = estimatedCost
        self.currency = currency
        self.priority = priority
        self.keyName = keyName
    }

    /// Tokens the call may use at most: what token budgets and token quotas reserve.
    public var estimatedTokens: Int64 {
        let (sum, overflow) = estimatedInputTokens.addingReportingOverflow(maxOutputTokens)
        return overflow ? .max : sum
    }
}
