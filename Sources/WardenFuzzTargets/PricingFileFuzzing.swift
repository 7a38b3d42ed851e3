import WardenCore
import WardenFormats

/// Pricing files, in both formats the loader reads (TokenWarden's YAML, a LiteLLM JSON catalog):
/// the bytes are one file. A file that loads prices every entry's largest possible call
/// (never negative, never a trap), finds every entry at its own date, and reads back from
/// ``PricingFileWriter``'s rendering to the same entries and aliases.
enum PricingFileFuzzing {
    static let largestCall = TokenUsage(input: InputBounds.maxTokenCount, output: InputBounds.maxTokenCount,
                                        cacheRead: InputBounds.maxTokenCount / 2, cacheCreation: InputBounds.maxTokenCount / 2,
                                        reasoning: InputBounds.maxTokenCount)

    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        let file: PricingFile
        do {
            file = try PricingFileLoader.load(bytes: bytes, fileName: "prices.yaml")
        } catch {
            try require(!error.errors.isEmpty, "a failed load without errors")
            return
        }
        let catalog = PriceCatalog(files: [file])
        for entry in file.entries.prefix(64) {
            guard let match = catalog.lookup(provider: entry.provider, model: entry.model, at: entry.effectiveFromTime) else {
                throw InvariantViolation("\(entry.provider)/\(entry.model) is not found at its own date")
            }
            for usage in [largestCall, TokenUsage(input: 1, output: 1), TokenUsage(input: 0, output: 0)] {
                try require(match.cost(of: usage) >= .zero, "a negative cost for \(entry.provider)/\(entry.model)")
            }
            _ = entry.price.cost(of: largestCall)
        }
        // The YAML format refuses a repeated entry or alias, which a LiteLLM catalog with a
        // repeated key imports twice: the round trip holds for files without repeats.
        let entryKeys = Set(file.entries.map { "\($0.provider)\u{0}\($0.model)\u{0}\($0.effectiveFromTime.nanosecondsSinceEpoch)" })
        guard entryKeys.count == file.entries.count, Set(file.aliases.map(\.alias)).count == file.aliases.count else { return }
        let rendered = PricingFileWriter.render(entries: file.entries, aliases: file.aliases)
        let reread: PricingFile
        do {
            reread = try PricingFileLoader.load(text: rendered, fileName: "written.yaml")
        } catch {
            throw InvariantViolation("the written file does not load: \(error)\n\(rendered)")
        }
        try require(sorted(reread.entries) == sorted(file.entries), "the written file prices otherwise:\n\(rendered)")
        try require(reread.aliases.sorted { $0.alias < $1.alias } == file.aliases.sorted { $0.alias < $1.alias },
                    "the written file has other aliases:\n\(rendered)")
    }

    static func sorted(_ entries: [PriceEntry]) -> [PriceEntry] {
        entries.sorted {
            ($0.provider, $0.model, $0.effectiveFromTime.nanosecondsSinceEpoch)
                < ($1.provider, $1.model, $1.effectiveFromTime.nanosecondsSinceEpoch)
        }
    }
}
