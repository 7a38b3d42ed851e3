/// The counters kept per series. Every field only grows (they back Prometheus counters), and
/// saturates at its bound rather than trapping (see ``Swift/Int64/addingSaturating(_:)``).
///
/// The six token kinds partition all tokens of a call: ``uncachedInput`` + ``audioInput`` +
/// ``cacheRead`` + ``cacheCreation`` + ``output`` + ``audioOutput`` = input_tokens +
/// output_tokens. ``reasoning`` is a subset of ``output`` and is exposed as its own family so
/// that `sum(tokenwarden_tokens_total)` stays the true total.
public struct SeriesTotals: Sendable, Hashable {
    /// Uncached text input tokens.
    public var uncachedInput: Int64 = 0
    public var cacheRead: Int64 = 0
    public var cacheCreation: Int64 = 0
    /// Text output tokens (reasoning included, audio not).
    public var output: Int64 = 0
    public var reasoning: Int64 = 0
    /// Uncached audio input tokens.
    public var audioInput: Int64 = 0
    public var audioOutput: Int64 = 0
    /// Images generated.
    public var images: Int64 = 0
    public var audioInputSeconds = MediaSeconds.zero
    public var audioOutputSeconds = MediaSeconds.zero
    public var requests: Int64 = 0
    /// Cost per currency, in currency order. Almost always one entry; a series whose model changed
    /// currency between price versions keeps both rather than mixing them.
    public var costAmounts = CostAmounts()

    public typealias CurrencyAmount = CostAmounts.Amount

    public var costs: [CurrencyAmount] {
        get { costAmounts.amounts }
        set { costAmounts.amounts = newValue }
    }

    /// How many currencies ``costs`` has; with ``cost(at:)``, reads them without building the array.
    @inlinable public var costCount: Int { costAmounts.count }

    /// The `position`th entry of ``costs``.
    @inlinable public func cost(at position: Int) -> CurrencyAmount { costAmounts.amount(at: position) }

    /// Each cost in currency order, without building ``costs``.
    public func forEachCost(_ body: (CurrencyAmount) throws -> Void) rethrows { try costAmounts.forEach(body) }

    public init() {}

    public mutating func add(tokens: TokenUsage, media: MediaUsage = .none, cost: Money, currency: String) {
        uncachedInput = uncachedInput.addingSaturating(tokens.uncachedInput)
        cacheRead = cacheRead.addingSaturating(tokens.cacheRead)
        cacheCreation = cacheCreation.addingSaturating(tokens.cacheCreation)
        output = output.addingSaturating(tokens.textOutput)
        reasoning = reasoning.addingSaturating(tokens.reasoning)
        audioInput = audioInput.addingSaturating(tokens.audioInput)
        audioOutput = audioOutput.addingSaturating(tokens.audioOutput)
        if !media.isEmpty {
            images = images.addingSaturating(media.images)
            audioInputSeconds = audioInputSeconds.adding(media.audioInputSeconds)
            audioOutputSeconds = audioOutputSeconds.adding(media.audioOutputSeconds)
        }
        requests = requests.addingSaturating(1)
        add(cost: cost, currency: currency)
    }

    public mutating func add(cost: Money, currency: String) {
        costAmounts.add(cost, currency: currency)
    }

    public mutating func add(_ other: SeriesTotals) {
        uncachedInput = uncachedInput.addingSaturating(other.uncachedInput)
        cacheRead = cacheRead.addingSaturating(other.cacheRead)
        cacheCreation = cacheCreation.addingSaturating(other.cacheCreation)
        output = output.addingSaturating(other.output)
        reasoning = reasoning.addingSaturating(other.reasoning)
        audioInput = audioInput.addingSaturating(other.audioInput)
        audioOutput = audioOutput.addingSaturating(other.audioOutput)
        images = images.addingSaturating(other.images)
        audioInputSeconds = audioInputSeconds.adding(other.audioInputSeconds)
        audioOutputSeconds = audioOutputSeconds.adding(other.audioOutputSeconds)
        requests = requests.addingSaturating(other.requests)
        costAmounts.add(other.costAmounts)
    }

    public func cost(in currency: String) -> Money { costAmounts.amount(in: currency) }
}
