import WardenCore

/// What a field of a LiteLLM catalog entry means for TokenWarden's pricing.
///
/// Every field whose name mentions a cost, a pricing or a multiplier is classified; one that
/// matches no rule below makes the entry skipped (``SkipReason/unrecognisedPriceField(_:)``),
/// so a new kind of charge added to LiteLLM is never silently left out of a price.
enum LiteLLMPriceField: Equatable {
    /// A per-token price of a bucket, in the base prices (`threshold == nil`) or in the tier
    /// above `threshold` input tokens.
    case token(Bucket, threshold: Int64?)
    /// `input_cost_per_token_cache_hit`: the cache-read price when `cache_read_input_token_cost` is absent.
    case cacheHit
    /// A field that makes the entry unpriceable whatever its value.
    case skipAlways(SkipReason)
    /// A field that makes the entry unpriceable unless its value is zero or null.
    case skipUnlessZero(SkipReason)
    /// A price deliberately not used; the report counts the imported entries that carry it.
    case ignored(IgnoredField)
    /// A per-unit price of an image-generation or audio entry (see ``MediaField``).
    case media(MediaField)
    /// A price-looking field no rule covers.
    case unrecognised
    /// Not about price (`max_input_tokens`, `supports_vision` ...).
    case metadata

    enum Bucket: Equatable, CaseIterable {
        case input, output, cacheRead, cacheCreation, reasoning, audioInput, audioOutput

        var liteLLMKey: String {
            switch self {
            case .input: return "input_cost_per_token"
            case .output: return "output_cost_per_token"
            case .cacheRead: return "cache_read_input_token_cost"
            case .cacheCreation: return "cache_creation_input_token_cost"
            case .reasoning: return "output_cost_per_reasoning_token"
            case .audioInput: return "input_cost_per_audio_token"
            case .audioOutput: return "output_cost_per_audio_token"
            }
        }
    }

    /// Suffixes of non-standard service tiers; we price the standard tier.
    static let serviceTierSuffixes = ["_batches", "_priority", "_flex", "_ultrafast", "_decisions", "_balanced"]
    /// Prefixes of charges for built-in tools, billed per query, session or page, not per token.
    static let toolPrefixes = [
        "search_context_", "google_maps_", "code_interpreter_", "file_search_", "vector_store_", "computer_use_",
        "citation_", "web_search_",
    ]

    /// Per-unit prices, which mean what they say only in some modes: `input_cost_per_second` is
    /// audio in a transcription entry but provisioned throughput in a chat entry, and
    /// `input_cost_per_image` is a generated image in an image-generation entry but a prompt
    /// image in a chat entry.
    enum MediaField: Equatable {
        case perImage, perPixel, outputImageToken, inputPerSecond, outputPerSecond
    }

    static let imageModes: Set<String> = ["image_generation"]
    static let audioModes: Set<String> = ["audio_transcription", "audio_speech", "realtime"]

    /// ``classify(_:)`` for an entry of `mode`.
    static func classify(_ key: String, mode: String) -> LiteLLMPriceField {
        if imageModes.contains(mode) {
            switch key {
            case "input_cost_per_image", "output_cost_per_image": return .media(.perImage)
            case "input_cost_per_pixel", "output_cost_per_pixel": return .media(.perPixel)
            case "output_cost_per_image_token": return .media(.outputImageToken)
            default:
                // Per-image prices by size in the field name (`output_cost_per_image_1K`): sizes
                // events do not name the same way; never priced at the default size's price.
                if key.hasPrefix("output_cost_per_image_") || key.hasPrefix("input_cost_per_image_"),
                   !key.contains("token"), !serviceTierSuffixes.contains(where: { key.hasSuffix($0) }) {
                    return .unrecognised
                }
            }
        }
        if audioModes.contains(mode) {
            switch key {
            case "input_cost_per_second": return .media(.inputPerSecond)
            case "output_cost_per_second": return .media(.outputPerSecond)
            default: break
            }
        }
        return classify(key)
    }

    static func classify(_ key: String) -> LiteLLMPriceField {
        switch key {
        case "off_peak_pricing": return .skipAlways(.offPeakPricing)
        case "tiered_pricing": return .skipAlways(.tieredPricing)
        case "input_cost_per_token_cache_hit": return .cacheHit
        case "provider_specific_entry": return .ignored(.regionalUplift)
        case "explicit_cache_read_input_token_cost": return .ignored(.explicitCacheRead)
        default: break
        }
        for bucket in Bucket.allCases {
            let base = bucket.liteLLMKey
            if key == base { return .token(bucket, threshold: nil) }
            if key.hasPrefix(base + "_above_"), key.hasSuffix("_tokens"),
                let threshold = threshold(key.dropFirst(base.count + 7).dropLast(7))
            {
                return .token(bucket, threshold: threshold)
            }
        }
        guard key.contains("cost") || key.contains("pricing") || key.contains("multiplier") else { return .metadata }
        if serviceTierSuffixes.contains(where: { key.hasSuffix($0) }) { return .ignored(.serviceTier) }
        if key.hasPrefix("cache_creation_input_token_cost_above_"), key.contains("hr") { return .ignored(.extendedCacheTTL) }
        if ["audio", "image", "video", "pixel"].contains(where: { key.contains($0) }) { return .ignored(.media) }
        if key.contains("per_character") { return .skipUnlessZero(.perCharacterPricing(key)) }
        if key.contains("per_second") { return .skipUnlessZero(.perSecondPricing(key)) }
        if key.contains("per_request") { return .skipUnlessZero(.perRequestPricing(key)) }
        if toolPrefixes.contains(where: { key.hasPrefix($0) }) { return .ignored(.toolCharge) }
        if key.contains("_dbu_") { return .ignored(.databricksUnits) }
        if key.contains("multiplier") { return .ignored(.regionalUplift) }
        return .unrecognised
    }

    /// `200k` → 200000, `128` → 128 (LiteLLM writes both forms; k = 1000).
    static func threshold(_ text: Substring) -> Int64? {
        var digits = text
        var multiplier: Int64 = 1
        if digits.last == "k" {
            digits = digits.dropLast()
            multiplier = 1000
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int64(digits) else {
            return nil
        }
        let (result, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : result
    }
}

/// A kind of LiteLLM price that the import leaves out on purpose, because TokenWarden's usage
/// events do not carry what it is charged on. Entries carrying one are still imported, priced by
/// their text-token prices; the report says how many.
public enum IgnoredField: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `*_batches`, `*_priority`, `*_flex`, ...: other service tiers; we price the standard tier.
    case serviceTier = "service-tier prices (*_batches, *_priority, *_flex ...): the standard tier is priced"
    /// `cache_creation_input_token_cost_above_1hr` ...: cache writes with a longer lifetime.
    case extendedCacheTTL = "1-hour/12-hour cache-write prices: cache creation is priced at the standard (5-minute) rate"
    /// Image and video tokens or units, cached-audio prices, and per-image prices of chat models.
    case media = "image-token, video, cached-audio and chat per-second audio prices: image and video tokens are priced as text, cached audio tokens as cache tokens"
    /// Built-in tool charges (web search, grounding, code interpreter ...).
    case toolCharge = "built-in tool charges (web search, grounding, code interpreter ...): not token-priced"
    /// Databricks DBU prices (the USD prices are used).
    case databricksUnits = "Databricks DBU prices: the USD per-token prices are used"
    /// Regional or geo uplift multipliers.
    case regionalUplift = "regional/geo uplift multipliers: the global endpoint price is used"
    /// `explicit_cache_read_input_token_cost` (explicit context caching).
    case explicitCacheRead = "explicit-cache read prices: cache reads are priced at cache_read_input_token_cost"

    public var description: String { rawValue }
}
