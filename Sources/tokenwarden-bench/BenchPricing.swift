import WardenCore
import WardenFormats

/// The price catalog of ``SyntheticUsage/pricingYAML``, loaded through the same loader the
/// daemon uses, for the in-process probes.
enum BenchPricing {
    static func catalog() throws -> PriceCatalog {
        do {
            let file = try PricingFileLoader.load(text: SyntheticUsage.pricingYAML, fileName: "bench.yaml")
            return PriceCatalog(files: [file])
        } catch {
            throw BenchError("the benchmark's pricing file does not load: \(error)")
        }
    }
}
