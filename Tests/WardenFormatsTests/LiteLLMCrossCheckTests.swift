import Foundation
import Testing
import Yams
@testable import WardenCore
import WardenFormats

/// The cross-check: for every entry of a LiteLLM catalog that the importer accepts, the production
/// cost of several token mixes (audio tokens included), images and audio seconds equals an
/// independent computation made here from the entry's raw JSON text (read by Yams, not by the
/// importer's JSON reader) with `Foundation.Decimal` arithmetic (not `Money`), following the cost
/// rule as written in the spec; and every size- and quality-keyed image price
/// (`hd/1024-x-1024/dall-e-3`) is the price of that image of its model.
///
/// Always on the trimmed catalog in `Tests/Fixtures/litellm`; on the whole catalog when
/// `TOKENWARDEN_LITELLM_CATALOG` names a copy of it (skipped, and reported as skipped, otherwise).
@Suite("LiteLLM cost cross-check")
struct LiteLLMCrossCheckTests {
    /// input, output, cache read, cache creation, reasoning, audio input, audio output.
    static let mixes: [TokenUsage] = [
        TokenUsage(input: 5_000, output: 2_000, cacheRead: 1_000, reasoning: 100, audioInput: 3_000, audioOutput: 1_500),
        TokenUsage(input: 300_000, output: 900, cacheCreation: 10, audioInput: 250_000, audioOutput: 900),
        TokenUsage(input: 1_000, output: 500),
        TokenUsage(input: 250_000, output: 4_000, cacheRead: 100_000, reasoning: 1_000),
        TokenUsage(input: 0, output: 0),
        TokenUsage(input: 1, output: 1),
        TokenUsage(input: 200_000, output: 10, cacheRead: 1, cacheCreation: 2, reasoning: 3),
        TokenUsage(input: 200_001, output: 10, cacheRead: 1, cacheCreation: 2, reasoning: 3),
        TokenUsage(input: 300_000, output: 2_000, cacheRead: 50_000, cacheCreation: 20_000, reasoning: 500),
        TokenUsage(input: 128_001, output: 7, cacheCreation: 128_000),
        TokenUsage(input: 1_000_000, output: 100_000, cacheRead: 900_000, reasoning: 100_000),
    ]

    @Test func everyImportedModelOfTheTrimmedCatalogCostsWhatItsEntrySays() throws {
        let checked = try Self.crossCheck(try LiteLLMTestData.trimmedBytes(), fileName: "model-prices-trimmed.json")
        #expect(checked == 40)
    }

    @Test(.enabled(if: LiteLLMTestData.fullCatalogPath != nil, LiteLLMTestData.fullCatalogSkipped))
    func everyImportedModelOfTheWholeCatalogCostsWhatItsEntrySays() throws {
        let checked = try Self.crossCheck(try LiteLLMTestData.fullCatalogBytes(), fileName: "model_prices_and_context_window.json")
        #expect(checked > 3_000, "a whole catalog has thousands of chat entries; is \(LiteLLMTestData.fullCatalogVariable) a LiteLLM catalog?")
    }

    /// Checks every imported entry of `bytes` against its raw fields; returns how many were checked.
    static func crossCheck(_ bytes: [UInt8], fileName: String) throws -> Int {
        let imported = try LiteLLMImporter.importCatalog(bytes: bytes, fileName: fileName)
        let raw = try Self.rawEntries(bytes)
        var problems: [String] = []
        var checked = 0
        // The size- and quality-keyed image prices, by the model they price.
        var variants: [String: [(key: String, variant: ImageVariant)]] = [:]
        for (key, fields) in raw where fields["mode"] == "image_generation" {
            if let variant = ImageVariant(key) { variants[variant.model, default: []].append((key, variant)) }
        }
        for entry in imported.entries {
            for (key, variant) in variants[entry.model] ?? [] {
                guard let fields = raw[key], fields["litellm_provider"] == entry.provider,
                      let wanted = variant.price(fields) else { continue }
                let actual = entry.price.media.imagePrice(size: variant.size, quality: variant.quality)
                if actual.flatMap({ Decimal(string: $0.exactDecimal) }) != wanted {
                    problems.append("\(key): \(String(describing: actual)) != \(wanted)")
                }
                checked += 1
            }
            guard let fields = raw[entry.model] else {
                if variants[entry.model] == nil { problems.append("\(entry.model): not in the raw catalog") }
                continue
            }
            let mode = fields["mode"] ?? ""
            if fields["litellm_provider"] != entry.provider { problems.append("\(entry.model): provider") }
            if !Self.importedModes.contains(mode) { problems.append("\(entry.model): mode") }
            // Never imported: prices the cost rule cannot express.
            for key in ["off_peak_pricing", "tiered_pricing"] where fields[key] != nil {
                problems.append("\(entry.model): has \(key)")
            }
            var perUnitOnly = ["input_cost_per_request", "cost_per_second", "input_cost_per_character"]
            if !Self.audioModes.contains(mode) { perUnitOnly.append("input_cost_per_second") }
            for key in perUnitOnly {
                if let text = fields[key], Decimal(string: text) != 0 { problems.append("\(entry.model): has \(key)") }
            }
            let units = IndependentUnitPrices(fields)
            if let expected = IndependentPrice(fields) {
                for usage in Self.mixes {
                    let actual = Decimal(string: entry.price.cost(of: usage).exactDecimal)
                    let wanted = expected.cost(of: usage)
                    if actual != wanted { problems.append("\(entry.model) \(usage): \(String(describing: actual)) != \(wanted)") }
                }
            } else if units.isEmpty {
                problems.append("\(entry.model): no input or output price, and no per-unit price")
                continue
            } else if case .success = entry.price.cost(of: TokenUsage(input: 1, output: 0), media: .none) {
                problems.append("\(entry.model): tokens of an entry priced only per unit are priced")
            }
            for media in Self.mediaMixes {
                let actual = entry.price.mediaCost(of: media)
                let wanted = units.cost(of: media)
                switch actual {
                case .success(let money) where Decimal(string: money.exactDecimal) == wanted: break
                case .failure where wanted == nil: break
                default: problems.append("\(entry.model) \(media): \(actual) != \(String(describing: wanted))")
                }
            }
            checked += 1
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(10))")
        #expect(checked == imported.report.imported)
        return checked
    }

    static let audioModes: Set<String> = ["audio_transcription", "audio_speech", "realtime"]
    static let importedModes: Set<String> = [
        "chat", "completion", "responses", "embedding", "image_generation", "audio_transcription", "audio_speech", "realtime",
    ]

    /// Images without a size (priced only by an any-size price) and audio seconds.
    static let mediaMixes: [MediaUsage] = [
        MediaUsage(images: 3),
        MediaUsage(audioInputSeconds: MediaSeconds(microseconds: 12_500_000)),
        MediaUsage(audioOutputSeconds: MediaSeconds(microseconds: 61_000_001)),
    ]

    // MARK: - The independent side

    /// `[prefix/][quality/]W-x-H/model`, the key of one image price of `prefix/model`.
    struct ImageVariant {
        var model: String
        var size: String
        var quality: String?
        var pixels: Decimal

        init?(_ key: String) {
            let parts = key.components(separatedBy: "/")
            guard let index = parts.firstIndex(where: { Self.sides($0) != nil }), index + 1 < parts.count,
                  let (width, height) = Self.sides(parts[index]) else { return nil }
            var prefix = Array(parts[..<index])
            if let last = prefix.last, ["standard", "hd", "low", "medium", "high", "auto"].contains(last) {
                quality = last
                prefix.removeLast()
            }
            model = (prefix + parts[(index + 1)...]).joined(separator: "/")
            size = "\(width)x\(height)"
            pixels = Decimal(width) * Decimal(height)
        }

        static func sides(_ segment: String) -> (Int, Int)? {
            let sides = segment.components(separatedBy: "-x-")
            guard sides.count == 2, let width = Int(sides[0]), let height = Int(sides[1]), width > 0, height > 0 else { return nil }
            return (width, height)
        }

        /// The price of one image: the per-image prices, else the per-pixel ones × the pixels,
        /// rounded once to 18 decimals.
        func price(_ fields: [String: String]) -> Decimal? {
            let perImage = ["input_cost_per_image", "output_cost_per_image"].compactMap { IndependentPrice.price(fields, $0) }
            if !perImage.isEmpty { return perImage.reduce(0, +) }
            let perPixel = ["input_cost_per_pixel", "output_cost_per_pixel"].compactMap { IndependentPrice.exact(fields, $0) }
            guard !perPixel.isEmpty else { return nil }
            var product = perPixel.reduce(0, +) * pixels
            var rounded = Decimal()
            NSDecimalRound(&rounded, &product, 18, .bankers)
            return rounded
        }
    }

    /// An entry's per-image (any size) and per-second prices, from its raw fields and mode.
    struct IndependentUnitPrices {
        var perImage: Decimal?
        var inputPerSecond: Decimal?
        var outputPerSecond: Decimal?

        init(_ fields: [String: String]) {
            if fields["mode"] == "image_generation" {
                let prices = ["input_cost_per_image", "output_cost_per_image"].compactMap { IndependentPrice.price(fields, $0) }
                perImage = prices.isEmpty ? nil : prices.reduce(0, +)
            }
            if LiteLLMCrossCheckTests.audioModes.contains(fields["mode"] ?? "") {
                inputPerSecond = IndependentPrice.price(fields, "input_cost_per_second")
                outputPerSecond = IndependentPrice.price(fields, "output_cost_per_second")
            }
        }

        var isEmpty: Bool { perImage == nil && inputPerSecond == nil && outputPerSecond == nil }

        /// Nil when the usage needs a price the entry lacks.
        func cost(of usage: MediaUsage) -> Decimal? {
            var cost = Decimal(0)
            if usage.images != 0 {
                guard let perImage else { return nil }
                cost += Decimal(usage.images) * perImage
            }
            for (seconds, price) in [(usage.audioInputSeconds, inputPerSecond), (usage.audioOutputSeconds, outputPerSecond)]
            where !seconds.isZero {
                guard let price else { return nil }
                var product = Decimal(seconds.microseconds) / 1_000_000 * price
                var rounded = Decimal()
                NSDecimalRound(&rounded, &product, 18, .bankers)
                cost += rounded
            }
            return cost
        }
    }

    /// Every catalog entry's scalar fields as written: model → field → text.
    static func rawEntries(_ bytes: [UInt8]) throws -> [String: [String: String]] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard case .mapping(let root)? = try Yams.compose(yaml: text) else { return [:] }
        var entries: [String: [String: String]] = [:]
        for (key, value) in root {
            guard let name = key.scalar?.string, case .mapping(let members) = value else { continue }
            var fields: [String: String] = [:]
            for (field, fieldValue) in members {
                guard let fieldName = field.scalar?.string else { continue }
                switch fieldValue {
                case .scalar(let scalar) where scalar.string != "null": fields[fieldName] = scalar.string
                case .mapping, .sequence: fields[fieldName] = "<structure>"
                default: break
                }
            }
            entries[name] = fields
        }
        return entries
    }

    /// The spec's cost rule, computed from an entry's raw fields with `Decimal`.
    struct IndependentPrice {
        struct Prices {
            var input: Decimal?
            var output: Decimal?
            var cacheRead: Decimal?
            var cacheCreation: Decimal?
            var reasoning: Decimal?
            var audioInput: Decimal?
            var audioOutput: Decimal?
        }

        var base: Prices
        /// (threshold, the tier's own prices), from `*_above_<N>[k]_tokens` keys.
        var tiers: [(tokens: Int64, prices: Prices)] = []

        init?(_ fields: [String: String]) {
            base = Prices(
                input: Self.price(fields, "input_cost_per_token"),
                output: Self.price(fields, "output_cost_per_token"),
                cacheRead: Self.price(fields, "cache_read_input_token_cost") ?? Self.price(fields, "input_cost_per_token_cache_hit"),
                cacheCreation: Self.price(fields, "cache_creation_input_token_cost"),
                reasoning: Self.price(fields, "output_cost_per_reasoning_token"),
                audioInput: Self.price(fields, "input_cost_per_audio_token"),
                audioOutput: Self.price(fields, "output_cost_per_audio_token"))
            // An image model's output is image tokens; an embedding has no output to price.
            if fields["mode"] == "image_generation" && base.output == nil {
                base.output = Self.price(fields, "output_cost_per_image_token")
            }
            if fields["mode"] == "embedding" && base.output == nil && base.input != nil { base.output = 0 }
            guard base.input != nil, base.output != nil else { return nil }
            // A tier exists where `input_cost_per_token_above_<N>[k]_tokens` does (k = 1000).
            let prefix = "input_cost_per_token_above_"
            for key in fields.keys where key.hasPrefix(prefix) && key.hasSuffix("_tokens") {
                let label = String(key.dropFirst(prefix.count).dropLast("_tokens".count))
                let digits = label.hasSuffix("k") ? String(label.dropLast()) : label
                guard let number = Int64(digits) else { continue }
                let suffix = "_above_\(label)_tokens"
                tiers.append((
                    number * (label.hasSuffix("k") ? 1_000 : 1),
                    Prices(
                        input: Self.price(fields, "input_cost_per_token" + suffix),
                        output: Self.price(fields, "output_cost_per_token" + suffix),
                        cacheRead: Self.price(fields, "cache_read_input_token_cost" + suffix),
                        cacheCreation: Self.price(fields, "cache_creation_input_token_cost" + suffix),
                        reasoning: Self.price(fields, "output_cost_per_reasoning_token" + suffix),
                        audioInput: Self.price(fields, "input_cost_per_audio_token" + suffix),
                        audioOutput: Self.price(fields, "output_cost_per_audio_token" + suffix))
                ))
            }
        }

        func cost(of usage: TokenUsage) -> Decimal {
            var prices = base
            // The highest threshold the input strictly exceeds; its prices replace the base ones.
            if let tier = tiers.filter({ usage.input > $0.tokens }).max(by: { $0.tokens < $1.tokens })?.prices {
                prices.input = tier.input ?? prices.input
                prices.output = tier.output ?? prices.output
                prices.cacheRead = tier.cacheRead ?? prices.cacheRead
                prices.cacheCreation = tier.cacheCreation ?? prices.cacheCreation
                prices.reasoning = tier.reasoning ?? prices.reasoning
                prices.audioInput = tier.audioInput ?? prices.audioInput
                prices.audioOutput = tier.audioOutput ?? prices.audioOutput
            }
            let input = prices.input!
            let output = prices.output!
            var cost = Decimal(usage.input - usage.cacheRead - usage.cacheCreation - usage.audioInput) * input
            cost += Decimal(usage.audioInput) * (prices.audioInput ?? input)
            cost += Decimal(usage.cacheRead) * (prices.cacheRead ?? input)
            cost += Decimal(usage.cacheCreation) * (prices.cacheCreation ?? input)
            cost += Decimal(usage.output - usage.reasoning - usage.audioOutput) * output
            cost += Decimal(usage.audioOutput) * (prices.audioOutput ?? output)
            cost += Decimal(usage.reasoning) * (prices.reasoning ?? output)
            return cost
        }

        /// A price from its text as written.
        static func exact(_ fields: [String: String], _ key: String) -> Decimal? {
            fields[key].flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) }
        }

        /// A price from its text, rounded half to even to 18 decimals as the spec requires.
        static func price(_ fields: [String: String], _ key: String) -> Decimal? {
            guard var value = exact(fields, key) else { return nil }
            var rounded = Decimal()
            NSDecimalRound(&rounded, &value, 18, .bankers)
            return rounded
        }
    }
}
