import WardenCore
import Yams

/// Reads TokenWarden's own pricing format (see ``PricingFileLoader`` for the syntax) strictly:
/// an unknown key, a value of the wrong type, a negative price or a bad date is an error at its
/// line and column, and every error in the file is reported, not only the first.
///
/// Prices are read from the scalar's text, whether the author quoted it (`"2.50"`) or not
/// (`2.50`): YAML never turns it into a float on the way.
struct PricingYAMLReader {
    let fileName: String
    private let diagnostics: YAMLDiagnostics
    private(set) var warnings: [ConfigWarning] = []
    private(set) var entries: [PriceEntry] = []
    private(set) var aliases: [ModelAlias] = []

    init(fileName: String) {
        self.fileName = fileName
        diagnostics = YAMLDiagnostics(file: fileName)
    }

    /// Every error of the file, in file order.
    var errors: [PricingFileError] { diagnostics.errors }

    static let bucketKeys = ["input", "output", "cache_read", "cache_creation", "reasoning", "audio_input", "audio_output"]

    mutating func read(_ text: String) {
        guard let root = diagnostics.compose(text) else {
            if diagnostics.count == 0 {
                diagnostics.error("the file is empty; expected a mapping with 'models:'", line: 1, column: 1)
            }
            return
        }
        // A price left blank must be an error, never a fall back to a default price.
        guard let top = YAMLObject(root, path: "", diagnostics: diagnostics, rejectsNull: true) else { return }

        let currency = currencyCode(top) ?? "USD"
        var firstSeen: [String: PricingFileLocation] = [:]
        for item in top.objectList("models") ?? [] {
            guard let entry = modelEntry(item, defaultCurrency: currency) else { continue }
            let identity = "\(entry.provider)\u{0}\(entry.model)\u{0}\(entry.effectiveFrom.map(Self.dateText) ?? "")"
            let here = location(item.node)
            if let first = firstSeen[identity] {
                let since = entry.effectiveFrom.map { " effective from \(Self.dateText($0))" } ?? ""
                diagnostics.error("duplicate price for \(entry.provider)/\(entry.model)\(since) (first given at line \(first.line))", at: item.node)
                continue
            }
            firstSeen[identity] = here
            entries.append(entry)
        }
        var aliasSeen: [String: PricingFileLocation] = [:]
        for item in top.objectList("aliases") ?? [] {
            guard let alias = aliasEntry(item) else { continue }
            if let first = aliasSeen[alias.alias] {
                diagnostics.error("duplicate alias '\(alias.alias)' (first given at line \(first.line))", at: item.node)
                continue
            }
            aliasSeen[alias.alias] = location(item.node)
            aliases.append(alias)
        }
        top.rejectUnknownKeys()
    }

    // MARK: - Entries

    private mutating func modelEntry(_ item: YAMLObject, defaultCurrency: String) -> PriceEntry? {
        let errorCount = diagnostics.count
        let provider = name(item, "provider")
        let model = name(item, "model")
        let currency = currencyCode(item) ?? defaultCurrency
        let effectiveFrom = date(item, "effective_from")
        var base: TokenPrices?
        var unit = PriceUnit.token
        let media = mediaPrices(item)
        // An entry priced only per image or per second has no token prices.
        let perUnitOnly = item.value("prices") == nil && (item.value("images") != nil || item.value("audio") != nil)
        if perUnitOnly { base = TokenPrices() }
        if !perUnitOnly, let prices = item.object("prices", required: true) {
            if let (parsed, pricesUnit) = priceSet(prices, inheritedUnit: nil) {
                unit = pricesUnit
                base = parsed
            }
            prices.rejectUnknownKeys()
        }
        var tiers: [PriceTier] = []
        var seen: [Int64: Int] = [:]
        for tierItem in item.objectList("tiers") ?? [] {
            guard let tier = tier(tierItem, inheritedUnit: unit) else { continue }
            if let line = seen[tier.aboveInputTokens] {
                diagnostics.error(
                    "duplicate tier above \(tier.aboveInputTokens) input tokens (first given at line \(line))", at: tierItem.node)
                continue
            }
            seen[tier.aboveInputTokens] = location(tierItem.node).line
            tiers.append(tier)
        }
        if perUnitOnly && !tiers.isEmpty {
            diagnostics.error("\(item.child("tiers")) needs token prices: give 'prices' too", at: item.value("tiers"))
        }
        item.rejectUnknownKeys()
        guard diagnostics.count == errorCount, let provider, let model, let base, let media,
            let price = ModelPrice(base: base, tiers: tiers, media: media)
        else { return nil }
        return PriceEntry(
            provider: provider, model: model, effectiveFrom: effectiveFrom, currency: currency,
            price: price, source: location(item.node))
    }

    private mutating func tier(_ item: YAMLObject, inheritedUnit: PriceUnit) -> PriceTier? {
        let threshold = item.integer("above_input_tokens", required: true, in: 0...Int64.max)
        let priced = priceSet(item, inheritedUnit: inheritedUnit)
        item.rejectUnknownKeys()
        guard let (prices, _) = priced else { return nil }
        if prices.isEmpty {
            diagnostics.error(
                "a tier must give at least one price (input, output, cache_read, cache_creation, reasoning, audio_input or audio_output)", at: item.node)
            return nil
        }
        guard let threshold else { return nil }
        return PriceTier(aboveInputTokens: threshold, prices: prices)
    }

    /// `images:` (a list of `{size, quality, price}`, size and quality optional) and `audio:`
    /// (`{input_per_second, output_per_second}`): per-unit prices, always in currency units per
    /// image or per second (`per:` does not apply to them). Nil after an error.
    private mutating func mediaPrices(_ item: YAMLObject) -> MediaPrices? {
        let errorCount = diagnostics.count
        var images: [ImagePrice] = []
        var seen: [String: Int] = [:]
        for image in item.objectList("images") ?? [] {
            let size = image.string("size")
            let quality = image.string("quality")
            if let size, !Self.isImageSize(size) {
                diagnostics.error("\(image.child("size")) must be WIDTHxHEIGHT in pixels such as 1024x1024, not \"\(size)\"",
                                  at: image.value("size"))
            }
            if let quality, quality.isEmpty || quality.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                diagnostics.error("\(image.child("quality")) must be a non-empty name without control characters", at: image.value("quality"))
            }
            let price = image.string("price", required: true).flatMap { self.price($0, of: image, "price", unit: .token) }
            image.rejectUnknownKeys()
            let identity = "\(size ?? "*")\u{0}\(quality ?? "*")"
            if let line = seen[identity] {
                diagnostics.error("duplicate image price for size \(size ?? "(any)") and quality \(quality ?? "(any)") "
                                  + "(first given at line \(line))", at: image.node)
                continue
            }
            seen[identity] = location(image.node).line
            if let price { images.append(ImagePrice(size: size, quality: quality, price: price)) }
        }
        var input: Money?, output: Money?
        if let audio = item.object("audio") {
            input = audio.string("input_per_second").flatMap { self.price($0, of: audio, "input_per_second", unit: .token) }
            output = audio.string("output_per_second").flatMap { self.price($0, of: audio, "output_per_second", unit: .token) }
            if audio.value("input_per_second") == nil && audio.value("output_per_second") == nil {
                diagnostics.error("\(item.child("audio")) must give input_per_second, output_per_second or both", at: audio.node)
            }
            audio.rejectUnknownKeys()
        }
        guard diagnostics.count == errorCount else { return nil }
        return MediaPrices(images: images, audioInputPerSecond: input, audioOutputPerSecond: output)
    }

    /// `1024x1024`: two positive whole numbers of pixels.
    static func isImageSize(_ text: String) -> Bool {
        let parts = text.split(separator: "x", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 6 && part.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } && part.first != "0"
        }
    }

    private func aliasEntry(_ item: YAMLObject) -> ModelAlias? {
        let alias = name(item, "alias")
        let provider = name(item, "provider")
        let model = name(item, "model")
        item.rejectUnknownKeys()
        guard let alias, let provider, let model else { return nil }
        return ModelAlias(alias: alias, provider: provider, model: model, source: location(item.node))
    }

    // MARK: - Prices

    /// Reads `per` and the five bucket prices. The base prices (no `inheritedUnit`) need `per`,
    /// `input` and `output`; a tier inherits the unit and needs no particular price.
    private mutating func priceSet(_ object: YAMLObject, inheritedUnit: PriceUnit?) -> (TokenPrices, PriceUnit)? {
        let unit: PriceUnit?
        if let inheritedUnit, object.value("per") == nil {
            unit = inheritedUnit
        } else {
            unit = object.choice("per", as: PriceUnit.self, required: true, hint: "token or million: the unit of the prices")
        }
        let isBase = inheritedUnit == nil
        var texts: [String: String] = [:]
        for key in Self.bucketKeys {
            texts[key] = object.string(key, required: isBase && (key == "input" || key == "output"))
        }
        guard let unit else { return nil }
        func price(_ key: String) -> Money? {
            texts[key].flatMap { self.price($0, of: object, key, unit: unit) }
        }
        var prices = TokenPrices()
        prices.input = price("input")
        prices.output = price("output")
        prices.cacheRead = price("cache_read")
        prices.cacheCreation = price("cache_creation")
        prices.reasoning = price("reasoning")
        prices.audioInput = price("audio_input")
        prices.audioOutput = price("audio_output")
        return (prices, unit)
    }

    private mutating func price(_ text: String, of object: YAMLObject, _ key: String, unit: PriceUnit) -> Money? {
        let node = object.value(key)
        let result: Money.ParseResult
        do {
            result = try unit.perTokenPrice(fromText: text)
        } catch {
            diagnostics.error("\(object.child(key)) must be a decimal price such as \"2.50\", not \"\(text)\" (\(error))", at: node)
            return nil
        }
        if result.money < .zero {
            object.reportOutOfRange(key, value: text, below: "0", above: nil)
            return nil
        }
        if result.wasRounded {
            let given = unit == .token ? "\(text)" : "\(text) per million"
            warnings.append(ConfigWarning(
                location(node),
                "'\(key)' \(given) has more than 18 decimals per token; rounded to \(result.money.exactDecimal) per token"))
        }
        return result.money
    }

    // MARK: - Scalars

    private func name(_ object: YAMLObject, _ key: String) -> String? {
        guard let text = object.string(key, required: true) else { return nil }
        if text.isEmpty || text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            diagnostics.error("\(object.child(key)) must be a non-empty name without control characters", at: object.value(key))
            return nil
        }
        return text
    }

    private func currencyCode(_ object: YAMLObject) -> String? {
        guard let text = object.string("currency") else { return nil }
        guard text.utf8.count == 3, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            diagnostics.error("\(object.child("currency")) must be an ISO 4217 code such as USD, not \"\(text)\"", at: object.value("currency"))
            return nil
        }
        return text
    }

    private func date(_ object: YAMLObject, _ key: String) -> CivilDate? {
        guard let text = object.string(key) else { return nil }
        guard let date = Self.parseDate(text) else {
            diagnostics.error("\(object.child(key)) must be a date YYYY-MM-DD, not \"\(text)\"", at: object.value(key))
            return nil
        }
        // Times are nanoseconds since 1970 in 64 bits, which reach from 1677 to 2262.
        guard (1678...2261).contains(date.year) else {
            diagnostics.error("\(object.child(key)) must be a date from 1678 to 2261, not \"\(text)\"", at: object.value(key))
            return nil
        }
        return date
    }

    static func parseDate(_ text: String) -> CivilDate? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard bytes[index] >= 48 && bytes[index] <= 57 else { return nil }
                value = value * 10 + Int(bytes[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    static func dateText(_ date: CivilDate) -> String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))"
    }

    private func location(_ node: Node?) -> PricingFileLocation {
        PricingFileLocation(file: fileName, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }
}
