import WardenCore

/// What an import would change in a pricing file, and the file with the change as a new version.
///
/// The file's prices are compared as they stand on the import's date (for each model, the version
/// in force that day), so an earlier version that a later one already replaced is not reported
/// again. Writing adds the imported prices of every new or changed model as a version in force
/// from that date and keeps every earlier version: events keep the prices of their own time.
public struct PriceImportDiff: Sendable {
    /// One line of the diff: `+` a model the file does not price, `-` a model the import no
    /// longer has, `~` one price that changed.
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable {
            case added = "+"
            case removed = "-"
            case changed = "~"
        }

        public var kind: Kind
        public var provider: String
        public var model: String
        /// `input=1.25 output=10.00` for an added or removed model, `input 2.50 → 2.00` for a change.
        public var detail: String

        public var description: String { "\(kind.rawValue) \(provider)/\(model) \(detail)" }
    }

    /// Every change, by provider and model, then bucket order.
    public let changes: [Change]
    /// The file's entries and the imported versions of the added and changed models.
    public let mergedEntries: [PriceEntry]

    /// - Parameters:
    ///   - current: the entries of the pricing file as it is (empty when it does not exist).
    ///   - imported: the entries the import produced (one per provider and model).
    ///   - date: the day the imported prices come into force.
    public init(current: [PriceEntry], imported: [PriceEntry], on date: CivilDate) {
        struct Key: Hashable, Comparable {
            var provider: String
            var model: String
            static func < (lhs: Key, rhs: Key) -> Bool { (lhs.provider, lhs.model) < (rhs.provider, rhs.model) }
        }
        var inForce: [Key: PriceEntry] = [:]
        for entry in current where entry.effectiveFrom.map({ $0 <= date }) ?? true {
            let key = Key(provider: entry.provider, model: entry.model)
            if let known = inForce[key], Self.starts(known) > Self.starts(entry) { continue }
            inForce[key] = entry
        }
        var incoming: [Key: PriceEntry] = [:]
        for entry in imported { incoming[Key(provider: entry.provider, model: entry.model)] = entry }

        var changes: [Change] = []
        var newVersions: [PriceEntry] = []
        for key in Set(inForce.keys).union(incoming.keys).sorted() {
            switch (inForce[key], incoming[key]) {
            case (nil, let new?):
                changes.append(Change(kind: .added, provider: key.provider, model: key.model, detail: Self.listing(new)))
                newVersions.append(new)
            case (let old?, nil):
                changes.append(Change(kind: .removed, provider: key.provider, model: key.model, detail: Self.listing(old)))
            case (let old?, let new?):
                let lines = Self.differences(old, new)
                changes += lines.map { Change(kind: .changed, provider: key.provider, model: key.model, detail: $0) }
                if !lines.isEmpty { newVersions.append(new) }
            case (nil, nil):
                break
            }
        }
        self.changes = changes
        let dated = newVersions.map { entry in
            PriceEntry(provider: entry.provider, model: entry.model, effectiveFrom: date, currency: entry.currency,
                       price: entry.price, source: entry.source)
        }
        // A version already dated that day is replaced, not duplicated.
        let replaced = Set(dated.map { Key(provider: $0.provider, model: $0.model) })
        mergedEntries = current.filter {
            !($0.effectiveFrom == date && replaced.contains(Key(provider: $0.provider, model: $0.model)))
        } + dated
    }

    /// `YYYY-MM-DD`, as pricing files write `effective_from`.
    public static func date(parsing text: String) -> CivilDate? { PricingYAMLReader.parseDate(text) }

    private static func starts(_ entry: PriceEntry) -> Int64 { entry.effectiveFromTime.nanosecondsSinceEpoch }

    private static let buckets: [(key: String, price: KeyPath<TokenPrices, Money?> & Sendable)] = [
        ("input", \.input), ("output", \.output), ("cache_read", \.cacheRead), ("cache_creation", \.cacheCreation),
        ("reasoning", \.reasoning), ("audio_input", \.audioInput), ("audio_output", \.audioOutput),
    ]

    /// `input=1.25 output=10.00`, per million tokens, with the tiers when there are any, then
    /// the per-unit prices (`image[1024x1024/hd]=0.08 audio_input_per_second=0.0001`).
    static func listing(_ entry: PriceEntry) -> String {
        var words = entry.price.pricesTokens ? entry.price.base.declared.map { "\($0.key)=\(perMillion($0.price))" } : []
        if !entry.price.tiers.isEmpty { words.append(tiers(entry.price.tiers)) }
        words += mediaWords(entry.price.media).map { "\($0.key)=\($0.price)" }
        if entry.currency != "USD" { words.append(entry.currency) }
        return words.joined(separator: " ")
    }

    /// One line per bucket whose base price changed, one for the tiers, one for the currency.
    static func differences(_ old: PriceEntry, _ new: PriceEntry) -> [String] {
        var lines: [String] = []
        if old.currency != new.currency { lines.append("currency \(old.currency) → \(new.currency)") }
        for bucket in buckets {
            let before = old.price.base[keyPath: bucket.price]
            let after = new.price.base[keyPath: bucket.price]
            if before != after { lines.append("\(bucket.key) \(before.map(perMillion) ?? "none") → \(after.map(perMillion) ?? "none")") }
        }
        if old.price.tiers != new.price.tiers {
            lines.append("tiers \(tiers(old.price.tiers)) → \(tiers(new.price.tiers))")
        }
        let before = Dictionary(mediaWords(old.price.media), uniquingKeysWith: { $1 })
        let after = Dictionary(mediaWords(new.price.media), uniquingKeysWith: { $1 })
        for (key, _) in mediaWords(old.price.media) + mediaWords(new.price.media) where !lines.contains(where: { $0.hasPrefix(key + " ") }) {
            if before[key] != after[key] { lines.append("\(key) \(before[key] ?? "none") → \(after[key] ?? "none")") }
        }
        return lines
    }

    /// The per-unit prices, per image or per second in currency units, in a stable order.
    static func mediaWords(_ media: MediaPrices) -> [(key: String, price: String)] {
        var words = media.images.map { image in
            ("image[\(image.size ?? "any")/\(image.quality ?? "any")]", image.price.exactDecimal)
        }
        if let input = media.audioInputPerSecond { words.append(("audio_input_per_second", input.exactDecimal)) }
        if let output = media.audioOutputPerSecond { words.append(("audio_output_per_second", output.exactDecimal)) }
        return words
    }

    /// `above_200000:input=5.00,output=15.00`, space-separated per tier; `none` without tiers.
    static func tiers(_ tiers: [PriceTier]) -> String {
        guard !tiers.isEmpty else { return "none" }
        return tiers.map { tier in
            "above_\(tier.aboveInputTokens):" + tier.prices.declared.map { "\($0.key)=\(perMillion($0.price))" }.joined(separator: ",")
        }.joined(separator: " ")
    }

    /// A per-token price per million tokens, with at least two decimals (`2.50`, `0.075`).
    static func perMillion(_ price: Money) -> String {
        var text = PriceUnit.million.text(forPerTokenPrice: price) ?? price.exactDecimal
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 2 { text += String(repeating: "0", count: 2 - decimals) }
        } else {
            text += ".00"
        }
        return text
    }
}
