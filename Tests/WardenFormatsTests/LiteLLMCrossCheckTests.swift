import Foundation
import Testing
import Yams
@testable import WardenCore
import WardenFormats

/// The cross-check: for every chat-like entry of a LiteLLM catalog that the importer accepts,
/// the production cost of several token mixes equals an independent computation made here from
/// the entry's raw JSON text (read by Yams, not by the importer's JSON reader) with
/// `Foundation.Decimal` arithmetic (not `Money`), following the cost rule as written in the spec.
///
/// Always on the trimmed catalog in `Tests/Fixtures/litellm`; on the whole catalog when
/// `TOKENWARDEN_LITELLM_CATALOG` names a copy of it (skipped, and reported as skipped, otherwise).
@Suite("LiteLLM cost cross-check")
struct LiteLLMCrossCheckTests {
    /// input, output, cache read, cache creation, reasoning.
    static let mixes: [TokenUsage] = [
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
        #expect(checked == 33)
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
        for entry in imported.entries {
            guard let fields = raw[entry.model] else {
                problems.append("\(entry.model): not in the raw catalog")
                continue
            }
            if fields["litellm_provider"] != entry.provider { problems.append("\(entry.model): provider") }
            if !["chat", "completion", "responses"].contains(fields["mode"] ?? "") { problems.append("\(entry.model): mode") }
            // Never imported: prices the cost rule cannot express.
            for key in ["off_peak_pricing", "tiered_pricing"] where fields[key] != nil {
                problems.append("\(entry.model): has \(key)")
            }
            for key in ["input_cost_per_request", "cost_per_second", "input_cost_per_second", "input_cost_per_character"] {
                if let text = fields[key], Decimal(string: text) != 0 { problems.append("\(entry.model): has \(key)") }
            }
            guard let expected = IndependentPrice(fields) else {
                problems.append("\(entry.model): no input or output price")
                continue
            }
            for usage in Self.mixes {
                let actual = Decimal(string: entry.price.cost(of: usage).exactDecimal)
                let wanted = expected.cost(of: usage)
                if actual != wanted { problems.append("\(entry.model) \(usage): \(String(describing: actual)) != \(wanted)") }
            }
            checked += 1
        }
        #expect(problems.isEmpty, "\(problems.count) problems, first: \(problems.prefix(10))")
        #expect(checked == imported.report.imported)
        return checked
    }

    // MARK: - The independent side

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
                reasoning: Self.price(fields, "output_cost_per_reasoning_token"))
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
                        reasoning: Self.price(fields, "output_cost_per_reasoning_token" + suffix))
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
            }
            let input = prices.input!
            let output = prices.output!
            var cost = Decimal(usage.input - usage.cacheRead - usage.cacheCreation) * input
            cost += Decimal(usage.cacheRead) * (prices.cacheRead ?? input)
            cost += Decimal(usage.cacheCreation) * (prices.cacheCreation ?? input)
            cost += Decimal(usage.output - usage.reasoning) * output
            cost += Decimal(usage.reasoning) * (prices.reasoning ?? output)
            return cost
        }

        /// A price from its text, rounded half to even to 18 decimals as the spec requires.
        static func price(_ fields: [String: String], _ key: String) -> Decimal? {
            guard let text = fields[key], var value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
                return nil
            }
            var rounded = Decimal()
            NSDecimalRound(&rounded, &value, 18, .bankers)
            return rounded
        }
    }
}
