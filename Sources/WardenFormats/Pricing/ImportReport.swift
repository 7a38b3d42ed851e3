import WardenCore

/// Why an entry of a LiteLLM catalog was not imported. Skipping is the safe answer whenever
/// the entry's price cannot be expressed by the cost rule of ``ModelPrice``: an event for a
/// skipped model is reported as unpriced rather than priced wrong.
public enum SkipReason: Sendable, Hashable, CustomStringConvertible {
    /// `sample_spec`, the catalog's documentation of its own fields.
    case documentationEntry
    case notAnObject
    case missingProvider
    /// A mode that is not imported (embedding, image_generation ...; `nil` when absent).
    case unsupportedMode(String?)
    /// Prices that change with the time of day (`off_peak_pricing`).
    case offPeakPricing
    /// A size-range price table (`tiered_pricing`).
    case tieredPricing
    /// A per-request charge on top of, or instead of, token prices.
    case perRequestPricing(String)
    /// Prices per second of compute or media.
    case perSecondPricing(String)
    /// Prices per character rather than per token.
    case perCharacterPricing(String)
    /// A price field no import rule covers.
    case unrecognisedPriceField(String)
    /// A price that is not a non-negative decimal number.
    case invalidPrice(String, String)
    /// No `input_cost_per_token` or `output_cost_per_token`.
    case missingTokenPrice(String)
    /// A tier (`*_above_Nk_tokens`) without an `input_cost_per_token_above_Nk_tokens`, which is
    /// what makes LiteLLM apply a tier at all.
    case tierWithoutInputPrice(Int64)
    /// A size- and quality-keyed image price (`hd/1024-x-1024/dall-e-3`) whose model's own
    /// entry was skipped.
    case imageVariantOfSkippedModel(String)
    /// An image-generation entry or variant with no per-image (or per-pixel) price.
    case missingImagePrice

    /// The reason without entry-specific details, for counting.
    public var category: String {
        switch self {
        case .documentationEntry: return "documentation entry (sample_spec)"
        case .notAnObject: return "entry is not an object"
        case .missingProvider: return "no litellm_provider"
        case .unsupportedMode(let mode): return "mode \(mode ?? "(none)") is not imported"
        case .offPeakPricing: return "off_peak_pricing (time-of-day prices)"
        case .tieredPricing: return "tiered_pricing (size-range table)"
        case .perRequestPricing: return "per-request price"
        case .perSecondPricing: return "per-second price"
        case .perCharacterPricing: return "per-character price"
        case .unrecognisedPriceField(let field): return "unrecognised price field \(field)"
        case .invalidPrice: return "invalid price"
        case .missingTokenPrice(let field): return "no \(field)"
        case .tierWithoutInputPrice: return "tier without an input price"
        case .imageVariantOfSkippedModel: return "image price of a skipped model"
        case .missingImagePrice: return "no per-image price"
        }
    }

    public var description: String {
        switch self {
        case .perRequestPricing(let field), .perSecondPricing(let field), .perCharacterPricing(let field):
            return "\(category): \(field)"
        case .invalidPrice(let field, let problem): return "invalid price \(field): \(problem)"
        case .tierWithoutInputPrice(let threshold):
            return "tier above \(threshold) input tokens has no input_cost_per_token_above_... price"
        case .imageVariantOfSkippedModel(let model): return "image price of \(model), whose entry was skipped"
        default: return category
        }
    }
}

/// What a LiteLLM import did: how many entries became prices, which were skipped and why,
/// which prices were rounded to 10⁻¹⁸, and which price fields were deliberately not used.
public struct ImportReport: Sendable, Hashable {
    public struct SkippedEntry: Sendable, Hashable {
        /// The catalog key (`gpt-4o`, `bedrock/...`).
        public var model: String
        public var provider: String?
        public var reason: SkipReason
        public var location: PricingFileLocation
    }

    public struct Rounding: Sendable, Hashable, CustomStringConvertible {
        public var model: String
        public var field: String
        /// The price as the catalog wrote it.
        public var text: String
        /// The per-token price used.
        public var rounded: Money
        public var location: PricingFileLocation

        /// The rounding as the warning loading the catalog reports.
        public var warning: ConfigWarning {
            ConfigWarning(
                location, "\(field) of '\(model)' is \(text), which has more than 18 decimals; rounded to \(rounded.exactDecimal)")
        }

        public var description: String { warning.description }
    }

    public var fileName: String
    /// Entries in the catalog, `sample_spec` included.
    public var entriesInFile = 0
    public var imported = 0
    /// Entries left out by the provider filter (not listed individually).
    public var filteredOut = 0
    public var skipped: [SkippedEntry] = []
    public var roundings: [Rounding] = []
    /// For each kind of ignored price, how many imported entries carry one.
    public var ignoredFields: [IgnoredField: Int] = [:]

    public init(fileName: String) { self.fileName = fileName }

    /// Skipped entries counted by ``SkipReason/category``, most frequent first.
    public var skippedByReason: [(reason: String, count: Int)] {
        var counts: [String: Int] = [:]
        for entry in skipped { counts[entry.reason.category, default: 0] += 1 }
        return counts.map { (reason: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    /// A few lines for people: totals, skips by reason, roundings, ignored prices.
    public var summary: String {
        var lines = [
            "\(fileName): \(entriesInFile) entries: \(imported) imported, \(skipped.count) skipped"
                + (filteredOut > 0 ? ", \(filteredOut) left out by the provider filter" : "")
        ]
        if !skipped.isEmpty {
            lines.append("skipped (an event for these models is unpriced, never priced wrong):")
            for (reason, count) in skippedByReason { lines.append("  \(pad(count)) \(reason)") }
        }
        if !roundings.isEmpty {
            lines.append("rounded to 10^-18 (\(roundings.count)):")
            for rounding in roundings { lines.append("  \(rounding)") }
        }
        let ignored = ignoredFields.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.rawValue < $1.key.rawValue }
        if !ignored.isEmpty {
            lines.append("imported entries with prices not used:")
            for (field, count) in ignored { lines.append("  \(pad(count)) \(field)") }
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ count: Int) -> String {
        let text = String(count)
        return String(repeating: " ", count: max(0, 5 - text.count)) + text
    }
}
