import WardenCore

/// Renders entries and aliases in TokenWarden's YAML pricing format (see ``PricingFileLoader``),
/// as `tokenwarden prices import litellm --out` writes it.
///
/// The output is deterministic (entries ordered by provider, model and `effective_from`,
/// aliases by name) so a re-import diffs cleanly, and reading it back gives the same prices to
/// the last digit: prices are exact decimal strings, per million tokens (a per-token price has at
/// most 18 decimals, so its per-million form is always exact), per token only in the
/// theoretical case where the per-million value would not fit.
public enum PricingFileWriter {
    /// - Parameter header: comment lines for the top of the file (without `#`).
    public static func render(entries: [PriceEntry], aliases: [ModelAlias] = [], header: [String] = []) -> String {
        var out = ""
        for line in header { out += line.isEmpty ? "#\n" : "# \(line)\n" }
        let currencies = Set(entries.map(\.currency))
        let fileCurrency = currencies.count == 1 ? currencies.first! : "USD"
        out += "currency: \(fileCurrency)\n"

        let ordered = entries.sorted {
            ($0.provider, $0.model, $0.effectiveFromTime.nanosecondsSinceEpoch)
                < ($1.provider, $1.model, $1.effectiveFromTime.nanosecondsSinceEpoch)
        }
        out += ordered.isEmpty ? "models: []\n" : "models:\n"
        for entry in ordered {
            out += "  - provider: \(quoted(entry.provider))\n"
            out += "    model: \(quoted(entry.model))\n"
            if let date = entry.effectiveFrom { out += "    effective_from: \(PricingYAMLReader.dateText(date))\n" }
            if entry.currency != fileCurrency { out += "    currency: \(entry.currency)\n" }
            let unit = unit(for: entry.price)
            if entry.price.pricesTokens {
                out += "    prices: {per: \(unit.rawValue)\(fields(entry.price.base, unit: unit))}\n"
            }
            if !entry.price.tiers.isEmpty {
                out += "    tiers:\n"
                for tier in entry.price.tiers {
                    out += "      - {above_input_tokens: \(tier.aboveInputTokens)\(fields(tier.prices, unit: unit))}\n"
                }
            }
            out += media(entry.price.media)
        }
        if !aliases.isEmpty {
            out += "aliases:\n"
            for alias in aliases.sorted(by: { $0.alias < $1.alias }) {
                out += "  - {alias: \(quoted(alias.alias)), provider: \(quoted(alias.provider)), model: \(quoted(alias.model))}\n"
            }
        }
        return out
    }

    /// Per-unit prices are always per image or per second, whatever the token unit.
    private static func media(_ prices: MediaPrices) -> String {
        var out = ""
        if !prices.images.isEmpty {
            out += "    images:\n"
            for image in prices.images {
                var members: [String] = []
                if let size = image.size { members.append("size: \(quoted(size))") }
                if let quality = image.quality { members.append("quality: \(quoted(quality))") }
                members.append("price: \"\(image.price.exactDecimal)\"")
                out += "      - {\(members.joined(separator: ", "))}\n"
            }
        }
        var audio: [String] = []
        if let input = prices.audioInputPerSecond { audio.append("input_per_second: \"\(input.exactDecimal)\"") }
        if let output = prices.audioOutputPerSecond { audio.append("output_per_second: \"\(output.exactDecimal)\"") }
        if !audio.isEmpty { out += "    audio: {\(audio.joined(separator: ", "))}\n" }
        return out
    }

    private static func unit(for price: ModelPrice) -> PriceUnit {
        let all = price.base.declared.map(\.price) + price.tiers.flatMap { $0.prices.declared.map(\.price) }
        return all.allSatisfy({ PriceUnit.million.text(forPerTokenPrice: $0) != nil }) ? .million : .token
    }

    private static func fields(_ prices: TokenPrices, unit: PriceUnit) -> String {
        prices.declared.map { ", \($0.key): \"\(unit.text(forPerTokenPrice: $0.price)!)\"" }.joined()
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\x" + (hex.count < 2 ? "0" : "") + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
