/// One priced model version in a catalog: who sells it, under which name, from when, in which
/// currency, at what price.
public struct PriceEntry: Sendable, Hashable {
    /// The provider as the catalog names it (`openai`, `bedrock_converse`, `vertex_ai-language-models`).
    public var provider: String
    /// The model as the catalog names it, prefixes included (`gpt-4o`, `bedrock/us-east-1/...`).
    public var model: String
    /// The first day (00:00 UTC) this price applies; `nil` means it always applied.
    public var effectiveFrom: CivilDate?
    /// ISO 4217 code of the currency the prices are in (`USD`).
    public var currency: String
    public var price: ModelPrice
    /// Where the entry was read from, for messages; not part of the entry's identity.
    public var source: PricingFileLocation?

    public init(
        provider: String, model: String, effectiveFrom: CivilDate? = nil, currency: String = "USD",
        price: ModelPrice, source: PricingFileLocation? = nil
    ) {
        self.provider = provider
        self.model = model
        self.effectiveFrom = effectiveFrom
        self.currency = currency
        self.price = price
        self.source = source
    }

    /// The instant the price starts to apply: midnight UTC of ``effectiveFrom``, or the
    /// earliest representable time when there is none.
    public var effectiveFromTime: Timestamp {
        guard let effectiveFrom else { return Timestamp(nanosecondsSinceEpoch: .min) }
        return Timestamp(secondsSinceEpoch: Int64(effectiveFrom.daysSinceEpoch) * 86_400)
    }

    public static func == (lhs: PriceEntry, rhs: PriceEntry) -> Bool {
        lhs.provider == rhs.provider && lhs.model == rhs.model && lhs.effectiveFrom == rhs.effectiveFrom
            && lhs.currency == rhs.currency && lhs.price == rhs.price
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(provider)
        hasher.combine(model)
        hasher.combine(effectiveFrom)
        hasher.combine(currency)
        hasher.combine(price)
    }
}

/// A configured alternative name for a priced model: `gpt-4o-latest` → `openai/gpt-4o`.
public struct ModelAlias: Sendable, Hashable {
    /// The model name events use.
    public var alias: String
    /// The priced model it stands for.
    public var provider: String
    public var model: String
    public var source: PricingFileLocation?

    public init(alias: String, provider: String, model: String, source: PricingFileLocation? = nil) {
        self.alias = alias
        self.provider = provider
        self.model = model
        self.source = source
    }

    public static func == (lhs: ModelAlias, rhs: ModelAlias) -> Bool {
        lhs.alias == rhs.alias && lhs.provider == rhs.provider && lhs.model == rhs.model
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(alias)
        hasher.combine(provider)
        hasher.combine(model)
    }
}

/// A place in a pricing file: `Rules/pricing/catalog.yaml:12:5`.
public struct PricingFileLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}
