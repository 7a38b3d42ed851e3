import Foundation
import Testing
import WardenCore
import WardenFormats
import WardenRuntime

/// Which pricing files a rules directory holds, in which order they load, and what a broken one does.
@Suite struct PricingDirectoryTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-pricing-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/pricing", withIntermediateDirectories: true)
    }

    private func write(_ text: String, to name: String) throws {
        try text.write(toFile: root + "/" + name, atomically: true, encoding: .utf8)
    }

    private static func prices(input: String) -> String {
        "models:\n  - {provider: p, model: m, prices: {per: million, input: \"\(input)\", output: \"1\"}}\n"
    }

    @Test func theFilesAreTheYAMLAndJSONFilesInNameOrderThenTheExtraFiles() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in ["b.yml", "a.yaml", "c.json", "notes.txt"] { try write("models: []\n", to: "pricing/" + name) }
        let directory = PricingDirectory(rulesDirectory: root)
        #expect(directory.filePaths() == ["a.yaml", "b.yml", "c.json"].map { root + "/pricing/" + $0 })
        try write("models: []\n", to: "extra.yaml")
        #expect(directory.load(extraFiles: [root + "/extra.yaml"]).files.map(\.fileName)
            == ["a.yaml", "b.yml", "c.json"].map { root + "/pricing/" + $0 } + [root + "/extra.yaml"])
    }

    @Test func aLaterFileOverridesAnEarlierOne() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(Self.prices(input: "1"), to: "pricing/a.yaml")
        try write(Self.prices(input: "2"), to: "extra.yaml")
        let loaded = PricingDirectory(rulesDirectory: root).load(extraFiles: [root + "/extra.yaml"])
        let input = loaded.catalog.lookup(provider: "p", model: "m", at: Timestamp(nanosecondsSinceEpoch: 0))?.entry.price.base.input
        #expect(input == (try PriceUnit.million.perTokenPrice(fromText: "2").money))
    }

    @Test func everyFileIsReadAndEveryErrorReported() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write("models: [\n", to: "pricing/a.yaml")
        try write(Self.prices(input: "1"), to: "pricing/b.yaml")
        let loaded = PricingDirectory(rulesDirectory: root).load(extraFiles: [root + "/missing.yaml"])
        #expect(loaded.files.map(\.fileName) == [root + "/pricing/b.yaml"])
        #expect(loaded.errors.count == 2)
        #expect(loaded.errors.first?.hasPrefix(root + "/pricing/a.yaml:") == true)
        #expect(loaded.errors.last == root + "/missing.yaml: cannot read file")
    }

    @Test func aMissingDirectoryHasNoFiles() {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = PricingDirectory(rulesDirectory: root + "/nope")
        #expect(!directory.exists)
        #expect(directory.filePaths().isEmpty)
    }
}
