import Foundation
import Testing
import WardenCore
import WardenFormats
import WardenRuntime

/// Which files of a rules directory are rule files, and how they load.
@Suite struct RuleDirectoryTests {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tw-rules-\(UUID().uuidString)").path
        for directory in ["pricing", "tests", "archive.yaml"] {
            try FileManager.default.createDirectory(atPath: root + "/" + directory, withIntermediateDirectories: true)
        }
        let files = [
            "tokenwarden.yaml": "metrics:\n  series_limit: 100\n",
            "quotas.yml": "quotas:\n  - {name: q, requests: 5, window: 1m}\n",
            "budgets.yaml": "budgets:\n  - {name: b, period: daily, limit: \"1 USD\"}\n",
            "README.md": "not yaml: [",
            ".#budgets.yaml": "an editor's lock file",
            "pricing/catalog.yaml": "models: []\n",
            "tests/budgets_test.yaml": "tests: []\n",
        ]
        for (name, text) in files {
            try text.write(toFile: root + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    @Test func ruleFilesAreTheYAMLFilesOfTheDirectoryInNameOrder() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try RuleDirectory(path: root).ruleFilePaths() == [root + "/budgets.yaml", root + "/quotas.yml"])
    }

    @Test func loadingReadsEveryRuleFile() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let rules = try RuleDirectory(path: root).load(schema: .standard)
        #expect(rules.budgets.map(\.name) == ["b"])
        #expect(rules.quotas.map(\.name) == ["q"])
        #expect(rules.files == [root + "/budgets.yaml", root + "/quotas.yml"])
    }

    @Test func errorsNameTheFilesPath() throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "budgets:\n  - {name: b, period: daily, limit: \"1 USD\", timezone: Nowhere/Atlantis}\n"
            .write(toFile: root + "/budgets.yaml", atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigErrors.self) { try RuleDirectory(path: root).load(schema: .standard) }
        #expect(error?.errors.map(\.description) == [
            "\(root)/budgets.yaml:2:56: budgets[0].timezone: unknown time zone \"Nowhere/Atlantis\" (no such zone in /usr/share/zoneinfo)",
        ])
    }

    @Test func aMissingDirectoryIsOneError() {
        let error = #expect(throws: ConfigErrors.self) { try RuleDirectory(path: root + "/nope").load(schema: .standard) }
        #expect(error?.errors.map(\.description) == ["\(root)/nope: rules directory does not exist"])
        try? FileManager.default.removeItem(atPath: root)
    }
}
