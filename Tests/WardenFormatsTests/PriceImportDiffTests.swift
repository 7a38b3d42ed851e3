import Testing
import WardenCore
import WardenFormats

/// What an import changes in a pricing file, line by line, and the file written with history.
@Suite struct PriceImportDiffTests {
    static let today = CivilDate(year: 2026, month: 3, day: 1)

    static func entry(_ model: String, input: String, output: String, from date: CivilDate? = nil,
                      provider: String = "openai") throws -> PriceEntry {
        PriceEntry(provider: provider, model: model, effectiveFrom: date,
                   price: ModelPrice(input: try PriceUnit.million.perTokenPrice(fromText: input).money,
                                     output: try PriceUnit.million.perTokenPrice(fromText: output).money))
    }

    @Test func addedRemovedAndChangedModelsAreOneLineEach() throws {
        let current = [try Self.entry("gpt-4o", input: "2.50", output: "10"), try Self.entry("gpt-3", input: "1", output: "2")]
        let imported = [try Self.entry("gpt-4o", input: "2", output: "10"), try Self.entry("gpt-5", input: "1.25", output: "10")]
        let diff = PriceImportDiff(current: current, imported: imported, on: Self.today)
        #expect(diff.changes.map(\.description) == [
            "- openai/gpt-3 input=1.00 output=2.00",
            "~ openai/gpt-4o input 2.50 → 2.00",
            "+ openai/gpt-5 input=1.25 output=10.00",
        ])
    }

    @Test func anUnchangedImportHasNoChanges() throws {
        let current = [try Self.entry("gpt-4o", input: "2.50", output: "10")]
        #expect(PriceImportDiff(current: current, imported: current, on: Self.today).changes.isEmpty)
    }

    @Test func theFileIsComparedAsItStandsOnTheImportDate() throws {
        let current = [try Self.entry("gpt-4o", input: "5", output: "15"),
                       try Self.entry("gpt-4o", input: "2.50", output: "10", from: CivilDate(year: 2025, month: 1, day: 1))]
        let imported = [try Self.entry("gpt-4o", input: "2.50", output: "10")]
        #expect(PriceImportDiff(current: current, imported: imported, on: Self.today).changes.isEmpty)
    }

    @Test func writingAddsChangedPricesAsANewVersionAndKeepsTheOldOnes() throws {
        let old = try Self.entry("gpt-4o", input: "2.50", output: "10")
        let imported = [try Self.entry("gpt-4o", input: "2", output: "10")]
        let merged = PriceImportDiff(current: [old], imported: imported, on: Self.today).mergedEntries
        #expect(merged.count == 2)
        #expect(merged.contains(old))
        let catalog = PriceCatalog(entries: merged)
        let before = try Timestamp(rfc3339: "2026-02-28T23:59:59Z")
        let after = try Timestamp(rfc3339: "2026-03-01T00:00:00Z")
        #expect(catalog.lookup(provider: "openai", model: "gpt-4o", at: before)?.entry.price == old.price)
        #expect(catalog.lookup(provider: "openai", model: "gpt-4o", at: after)?.entry.price == imported[0].price)
    }
}
