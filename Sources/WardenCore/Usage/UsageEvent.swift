/// One LLM call as reported to `POST /v1/usage`, after validation.
public struct UsageEvent: Sendable, Hashable {
    /// The client's idempotency key: an event whose id was already accepted is not counted again.
    public var id: String
    /// When the call happened; `nil` means "now at receipt" and is filled in by the ingest path.
    public var time: Timestamp?
    public var provider: String
    public var model: String
    public var tokens: TokenUsage
    /// Images and audio seconds, priced per unit; empty for a text or embedding call.
    public var media: MediaUsage
    public var attribution: Attribution
    /// A pre-flight reservation this usage settles (rule engine); `nil` when the agent never asked.
    public var reservation: String?

    public init(
        id: String, time: Timestamp?, provider: String, model: String,
        tokens: TokenUsage, media: MediaUsage = .none, attribution: Attribution, reservation: String? = nil
    ) {
        self.id = id
        self.time = time
        self.provider = provider
        self.model = model
        self.tokens = tokens
        self.media = media
        self.attribution = attribution
        self.reservation = reservation
    }
}
