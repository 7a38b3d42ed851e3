import WardenCore

/// Converts a LiteLLM model-price catalog (`model_prices_and_context_window.json`) into
/// TokenWarden price entries, exactly: every price is read from the digits of its JSON text.
///
/// ## What is imported
///
/// - Entries whose `mode` is `chat`, `completion` or `responses` (``Options/modes``): the modes
///   billed per text token. Embedding, image, audio, video, rerank, search ... entries are
///   skipped: their usage is not tokens in and tokens out.
/// - Provider = `litellm_provider`, model = the entry's key, prefixes kept (`bedrock/us-east-1/...`);
///   the lookup rules of ``PriceCatalog`` handle prefixes. Currency USD, no `effective_from`.
/// - Prices: `input_cost_per_token`, `output_cost_per_token` (both required),
///   `cache_read_input_token_cost` (else `input_cost_per_token_cache_hit`),
///   `cache_creation_input_token_cost`, `output_cost_per_reasoning_token`, and each of these
///   as `<field>_above_<N>k_tokens` / `<field>_above_<N>_tokens`, a tier above N input tokens.
///   A price with more than 18 decimals is rounded half to even to 10⁻¹⁸ and reported.
///
/// ## What is skipped (listed in the ``ImportReport`` with the reason)
///
/// `off_peak_pricing` (time-of-day prices), `tiered_pricing` (size-range tables), non-zero
/// per-request, per-second or per-character prices, missing input or output token prices,
/// invalid or negative prices, a tier without its input price (LiteLLM keys a tier on it), and
/// any price field that no rule here recognises.
///
/// ## What is ignored (entry imported, counted in ``ImportReport/ignoredFields``)
///
/// Service-tier variants (`*_batches`, `*_priority`, `*_flex`, `*_ultrafast`, ...: we price the
/// standard tier), 1-hour/12-hour cache-write prices (cache creation is priced at the standard
/// rate), audio/image/video prices (events carry text token counts), built-in tool charges,
/// Databricks DBU prices, regional uplift multipliers and explicit-cache read prices.
public enum LiteLLMImporter {
    public struct Options: Sendable, Hashable {
        /// Import only entries matching one of these; empty means every provider.
        public var providers: [ProviderFilter]
        /// The `mode` values imported.
        public var modes: Set<String>

        public static let defaultModes: Set<String> = [
            "chat", "completion", "responses", "embedding", "image_generation", "audio_transcription", "audio_speech",
            "realtime",
        ]

        public init(providers: [ProviderFilter] = [], modes: Set<String> = Options.defaultModes) {
            self.providers = providers
            self.modes = modes
        }
    }

    /// Selects catalog entries by `litellm_provider`, and optionally by the start of their key:
    /// `vertex_ai:vertex_ai/gemini` keeps the `vertex_ai` entries whose key starts with `vertex_ai/gemini`.
    public struct ProviderFilter: Sendable, Hashable, CustomStringConvertible {
        public var provider: String
        public var modelPrefix: String?

        public init(provider: String, modelPrefix: String? = nil) {
            self.provider = provider
            self.modelPrefix = modelPrefix
        }

        /// `PROVIDER` or `PROVIDER:MODEL_PREFIX`.
        public init?(parsing text: String) {
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let provider = parts.first, !provider.isEmpty else { return nil }
            if parts.count == 2 && parts[1].isEmpty { return nil }
            self.init(provider: String(provider), modelPrefix: parts.count == 2 ? String(parts[1]) : nil)
        }

        public func matches(provider: String, model: String) -> Bool {
            provider == self.provider && (modelPrefix.map { model.hasPrefix($0) } ?? true)
        }

        public var description: String { modelPrefix.map { "\(provider):\($0)" } ?? provider }
    }

    /// The result of an import: the entries, ordered as in the catalog, and the report.
    public struct ImportedCatalog: Sendable {
        public var entries: [PriceEntry]
        public var report: ImportReport
    }

    /// Imports a LiteLLM catalog from its bytes. Throws when the bytes are not a JSON object;
    /// problems with single entries are not errors but skips, listed in the report.
    public static func importCatalog(
        bytes: [UInt8], fileName: String, options: Options = Options()
    ) throws(PricingFileErrors) -> ImportedCatalog {
        let lines = LineTable(bytes)
        let document: JSONDocument
        do {
            document = try parse(bytes)
        } catch {
            throw PricingFileErrors([PricingFileError(
                lines.location(ofOffset: error.offset, file: fileName), "invalid JSON: \(error.message)")])
        }
        return try importCatalog(root: document.root, lines: lines, fileName: fileName, options: options)
    }

    /// Parses a catalog with the project's JSON parser: every number keeps its text, so prices
    /// never pass through `Double`. A leading UTF-8 byte order mark, which editors on some
    /// systems write, is read as whitespace (blanked in place, so byte offsets still point into
    /// the file as given).
    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONDocument {
        guard bytes.starts(with: [0xEF, 0xBB, 0xBF]) else { return try JSONDocument(parsing: bytes) }
        var blanked = bytes
        blanked.replaceSubrange(0..<3, with: [0x20, 0x20, 0x20])
        return try JSONDocument(parsing: blanked)
    }

    static func importCatalog(
        root: JSONValue, lines: LineTable, fileName: String, options: Options
    ) throws(PricingFileErrors) -> ImportedCatalog {
        guard root.kind == .object else {
            throw PricingFileErrors([PricingFileError(
                file: fileName, line: 1, column: 1,
                message: "a LiteLLM catalog must be a JSON object keyed by model name")])
        }
        let members = root.locatedMembers
        var report = ImportReport(fileName: fileName)
        var entries: [PriceEntry] = []
        report.entriesInFile = members.count
        let keys = Set(members.map(\.key))
        let imageVariantModels = Set(members.compactMap { ImageVariantKey($0.key)?.model })
        // Image prices keyed by size and quality, per model: merged into the model's entry.
        var variants: [String: (provider: String, images: [ImagePrice], location: PricingFileLocation, count: Int)] = [:]
        var variantOrder: [String] = []
        for member in members {
            let location = lines.location(ofOffset: member.keyOffset, file: fileName)
            switch convert(member.key, member.value, location: location, lines: lines, options: options,
                           imageVariantModels: imageVariantModels, report: &report) {
            case .imageVariant(let provider, let model, let image, let location):
                if variants[model] == nil {
                    variantOrder.append(model)
                    variants[model] = (provider, [], location, 0)
                }
                variants[model]!.images.append(image)
                variants[model]!.count += 1
            case .imported(let entry):
                entries.append(entry)
                report.imported += 1
            case .filteredOut:
                report.filteredOut += 1
            case .skipped(let provider, let reason):
                report.skipped.append(.init(model: member.key, provider: provider, reason: reason, location: location))
            }
        }
        for model in variantOrder {
            let group = variants[model]!
            if let index = entries.firstIndex(where: { $0.model == model && $0.provider == group.provider }) {
                let price = entries[index].price
                let media = price.media.overlaid(by: MediaPrices(images: group.images))
                entries[index].price = price.pricesTokens
                    ? ModelPrice(base: price.base, tiers: price.tiers, media: media)!
                    : .perUnitOnly(media)
                report.imported += group.count
            } else if keys.contains(model) {
                // The model's own entry was skipped or filtered out: so are its image prices.
                if options.providers.isEmpty || options.providers.contains(where: { $0.matches(provider: group.provider, model: model) }) {
                    report.skipped.append(.init(model: model, provider: group.provider,
                                                reason: .imageVariantOfSkippedModel(model), location: group.location))
                    report.skipped.append(contentsOf: repeatElement(
                        .init(model: model, provider: group.provider, reason: .imageVariantOfSkippedModel(model), location: group.location),
                        count: group.count - 1))
                } else {
                    report.filteredOut += group.count
                }
            } else {
                entries.append(PriceEntry(provider: group.provider, model: model, currency: "USD",
                                          price: .perUnitOnly(MediaPrices(images: group.images)), source: group.location))
                report.imported += group.count
            }
        }
        return ImportedCatalog(entries: entries, report: report)
    }

    /// A catalog key that prices one image size and quality of a model:
    /// `[prefix/][quality/]WIDTH-x-HEIGHT/model`, such as `azure/hd/1024-x-1024/dall-e-3`.
    struct ImageVariantKey {
        /// The model's own key: `azure/dall-e-3`.
        var model: String
        /// `1024x1024`, as events name sizes.
        var size: String
        var quality: String?
        var pixels: Int64

        static let qualities: Set<Substring> = ["standard", "hd", "low", "medium", "high", "auto"]

        init?(_ key: String) {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard let sizeIndex = parts.firstIndex(where: { Self.dimensions($0) != nil }), sizeIndex + 1 < parts.count,
                  let (width, height) = Self.dimensions(parts[sizeIndex]) else { return nil }
            var prefixEnd = sizeIndex
            if sizeIndex > 0 && Self.qualities.contains(parts[sizeIndex - 1]) {
                quality = String(parts[sizeIndex - 1])
                prefixEnd = sizeIndex - 1
            }
            model = (parts[..<prefixEnd] + parts[(sizeIndex + 1)...]).joined(separator: "/")
            size = "\(width)x\(height)"
            pixels = width * height
        }

        /// `1024-x-1792` → (1024, 1792).
        static func dimensions(_ segment: Substring) -> (Int64, Int64)? {
            let sides = segment.split(separator: "-x-", omittingEmptySubsequences: false)
            guard sides.count == 2, let width = Int64(sides[0]), let height = Int64(sides[1]),
                  (1...100_000).contains(width), (1...100_000).contains(height) else { return nil }
            return (width, height)
        }
    }

    private enum Outcome {
        case imported(PriceEntry)
        /// One per-image price of `model` (its size and quality were in the catalog key).
        case imageVariant(provider: String, model: String, ImagePrice, PricingFileLocation)
        case filteredOut
        case skipped(provider: String?, SkipReason)
    }

    private static func convert(
        _ name: String, _ entry: JSONValue, location: PricingFileLocation, lines: LineTable, options: Options,
        imageVariantModels: Set<String>, report: inout ImportReport
    ) -> Outcome {
        let filtering = !options.providers.isEmpty
        // With a provider filter, an entry that names no provider cannot match it: left out, not skipped.
        if name == "sample_spec" { return filtering ? .filteredOut : .skipped(provider: nil, .documentationEntry) }
        guard entry.kind == .object else {
            return filtering ? .filteredOut : .skipped(provider: nil, .notAnObject)
        }
        guard let provider = entry["litellm_provider"]?.string, !provider.isEmpty else {
            return filtering ? .filteredOut : .skipped(provider: nil, .missingProvider)
        }
        if filtering && !options.providers.contains(where: { $0.matches(provider: provider, model: name) }) {
            return .filteredOut
        }
        let mode = entry["mode"]?.string
        guard let mode, options.modes.contains(mode) else { return .skipped(provider: provider, .unsupportedMode(mode)) }

        // Classify every field first, so the reason for a skip does not depend on field order.
        typealias Field = (key: String, value: JSONValue)
        var skip: SkipReason?
        var ignored: Set<IgnoredField> = []
        var tokenFields: [(bucket: LiteLLMPriceField.Bucket, threshold: Int64?, field: Field)] = []
        var mediaFields: [(kind: LiteLLMPriceField.MediaField, field: Field)] = []
        var cacheHit: Field?
        for field in entry.members {
            switch LiteLLMPriceField.classify(field.key, mode: mode) {
            case .media(let kind):
                mediaFields.append((kind, field))
            case .metadata:
                break
            case .token(let bucket, let threshold):
                tokenFields.append((bucket, threshold, field))
            case .cacheHit:
                cacheHit = field
            case .skipAlways(let reason):
                skip = moreImportant(skip, reason)
            case .skipUnlessZero(let reason):
                if field.value.isNull { break }
                if let text = field.value.numberText, (try? Money.parse(text))?.money == .zero { break }
                skip = moreImportant(skip, reason)
            case .ignored(let kind):
                ignored.insert(kind)
            case .unrecognised:
                skip = moreImportant(skip, .unrecognisedPriceField(field.key))
            }
        }
        if let skip { return .skipped(provider: provider, skip) }

        // Parse the prices, from the number's text.
        struct Skip: Error { var reason: SkipReason }
        var roundings: [ImportReport.Rounding] = []
        func price(_ field: Field) throws(Skip) -> Money? {
            if field.value.isNull { return nil }
            guard let text = field.value.numberText else { throw Skip(reason: .invalidPrice(field.key, "not a number")) }
            guard let parsed = try? Money.parse(text) else {
                throw Skip(reason: .invalidPrice(field.key, "'\(text)' is out of range"))
            }
            if parsed.money < .zero { throw Skip(reason: .invalidPrice(field.key, "negative (\(text))")) }
            if parsed.wasRounded {
                roundings.append(.init(
                    model: name, field: field.key, text: text, rounded: parsed.money,
                    location: lines.location(ofOffset: field.value.byteOffset, file: location.file)))
            }
            return parsed.money
        }
        var base = TokenPrices()
        var tiers: [Int64: TokenPrices] = [:]
        var perImage: Money?, perPixel: Money?, outputImageToken: Money?
        var perPixelTexts: [(key: String, text: String)] = []
        var audioInputPerSecond: Money?, audioOutputPerSecond: Money?
        do throws(Skip) {
            for (kind, field) in mediaFields {
                guard let money = try price(field) else { continue }
                switch kind {
                case .perImage: perImage = (perImage ?? .zero) + money
                case .perPixel:
                    perPixel = (perPixel ?? .zero) + money
                    if let text = field.value.numberText { perPixelTexts.append((field.key, text)) }
                case .outputImageToken: outputImageToken = money
                case .inputPerSecond: audioInputPerSecond = money
                case .outputPerSecond: audioOutputPerSecond = money
                }
            }
            for (bucket, threshold, field) in tokenFields {
                guard let money = try price(field) else { continue }
                if let threshold {
                    var tier = tiers[threshold] ?? TokenPrices()
                    if let existing = tier.price(of: bucket), existing != money {
                        throw Skip(reason: .invalidPrice(field.key, "a second, different price for the same tier"))
                    }
                    tier.setPrice(money, of: bucket)
                    tiers[threshold] = tier
                } else {
                    base.setPrice(money, of: bucket)
                }
            }
            if base.cacheRead == nil, let cacheHit {
                base.cacheRead = try price(cacheHit)
            }
        } catch {
            return .skipped(provider: provider, error.reason)
        }
        for threshold in tiers.keys.sorted() where tiers[threshold]?.input == nil {
            return .skipped(provider: provider, .tierWithoutInputPrice(threshold))
        }
        // A size- and quality-keyed image price: one image price of its model's entry.
        let perPixelKeys = Set(perPixelTexts.map(\.key))
        if let variant = ImageVariantKey(name), LiteLLMPriceField.imageModes.contains(mode) {
            let price: Money
            if let perImage {
                price = perImage
                roundings.removeAll { perPixelKeys.contains($0.field) }  // not used
            } else if let perPixel {
                // Each per-pixel price times the pixels, from its text: exact where the product is,
                // though the per-pixel price alone may have more than 18 decimals.
                let exact = perPixelTexts.map { Money.parse($0.text, times: variant.pixels) }
                if exact.allSatisfy({ $0 != nil }) {
                    price = exact.reduce(Money.zero) { $0 + $1!.money }
                    let exactKeys = Set(zip(perPixelTexts, exact).filter { !$0.1!.wasRounded }.map(\.0.key))
                    roundings.removeAll { exactKeys.contains($0.field) }
                } else {
                    price = perPixel * variant.pixels
                }
            } else {
                return .skipped(provider: provider, .missingImagePrice)
            }
            report.roundings.append(contentsOf: roundings)
            return .imageVariant(provider: provider, model: variant.model,
                                 ImagePrice(size: variant.size, quality: variant.quality, price: price), location)
        }
        // A per-pixel price needs the size its key names; without one it is not used.
        roundings.removeAll { perPixelKeys.contains($0.field) }
        var images: [ImagePrice] = []
        if let perImage { images.append(ImagePrice(price: perImage)) }
        let media = MediaPrices(images: images, audioInputPerSecond: audioInputPerSecond, audioOutputPerSecond: audioOutputPerSecond)
        // The output of an image model is image tokens; of an embedding, nothing.
        if base.output == nil && LiteLLMPriceField.imageModes.contains(mode) { base.output = outputImageToken }
        if base.output == nil && mode == "embedding" && base.input != nil { base.output = .zero }
        let modelPrice: ModelPrice
        if base.input == nil && base.output == nil && tiers.isEmpty && !media.isEmpty {
            modelPrice = .perUnitOnly(media)
        } else if LiteLLMPriceField.imageModes.contains(mode) && base.output == nil && tiers.isEmpty {
            // No output price: priced per image, by the size- and quality-keyed prices merged into
            // it, tokens unpriced; with none of those it has no price at all.
            guard !media.isEmpty || imageVariantModels.contains(name) else {
                return .skipped(provider: provider, .missingImagePrice)
            }
            modelPrice = .perUnitOnly(media)
        } else {
            guard base.input != nil else {
                return .skipped(provider: provider, LiteLLMPriceField.imageModes.contains(mode)
                                ? .missingImagePrice : .missingTokenPrice("input_cost_per_token"))
            }
            guard let priced = ModelPrice(
                base: base, tiers: tiers.map { PriceTier(aboveInputTokens: $0.key, prices: $0.value) }, media: media)
            else { return .skipped(provider: provider, .missingTokenPrice("output_cost_per_token")) }
            modelPrice = priced
        }

        report.roundings.append(contentsOf: roundings)
        for kind in ignored { report.ignoredFields[kind, default: 0] += 1 }
        return .imported(PriceEntry(
            provider: provider, model: name, effectiveFrom: nil, currency: "USD", price: modelPrice, source: location))
    }

    /// When an entry has several reasons to be skipped, report the most telling one.
    private static func moreImportant(_ current: SkipReason?, _ candidate: SkipReason) -> SkipReason {
        guard let current else { return candidate }
        return rank(candidate) < rank(current) ? candidate : current
    }

    private static func rank(_ reason: SkipReason) -> Int {
        switch reason {
        case .offPeakPricing: return 0
        case .tieredPricing: return 1
        case .perRequestPricing: return 2
        case .perSecondPricing: return 3
        case .perCharacterPricing: return 4
        case .unrecognisedPriceField: return 5
        default: return 6
        }
    }
}

extension TokenPrices {
    func price(of bucket: LiteLLMPriceField.Bucket) -> Money? {
        switch bucket {
        case .input: return input
        case .output: return output
        case .cacheRead: return cacheRead
        case .cacheCreation: return cacheCreation
        case .reasoning: return reasoning
        case .audioInput: return audioInput
        case .audioOutput: return audioOutput
        }
    }

    mutating func setPrice(_ price: Money, of bucket: LiteLLMPriceField.Bucket) {
        switch bucket {
        case .input: input = price
        case .output: output = price
        case .cacheRead: cacheRead = price
        case .cacheCreation: cacheCreation = price
        case .reasoning: reasoning = price
        case .audioInput: audioInput = price
        case .audioOutput: audioOutput = price
        }
    }
}

extension LiteLLMImporter {
    /// The comment lines at the top of a pricing file generated by an import: the exact command
    /// that made it, and what the import kept and left out, so a reviewer can reproduce it.
    public static func generatedFileHeader(command: String, report: ImportReport) -> [String] {
        var lines = [
            "Generated from a LiteLLM model-price catalog by:",
            "  \(command)",
            "Do not edit by hand: re-run the command (or override an entry in a later pricing file).",
            "Prices are per million tokens, exact; see PricingFileLoader for the format.",
            "\(report.entriesInFile) catalog entries: \(report.imported) imported, \(report.skipped.count) skipped, "
                + "\(report.filteredOut) left out by the provider filter.",
        ]
        if !report.skipped.isEmpty {
            lines.append("Skipped (unpriced, never priced wrong):")
            for (reason, count) in report.skippedByReason { lines.append("  \(count) \(reason)") }
        }
        return lines
    }
}
