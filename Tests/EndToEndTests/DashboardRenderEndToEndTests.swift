import Foundation
import Testing

/// `tokenwarden dashboards render`: the shipped Dashboards/ files are its output for the defaults,
/// and a deployment's currency, runbook address and extra attribution keys reach every panel,
/// legend and alert.
@Suite struct DashboardRenderEndToEndTests {
    /// The files render writes, as laid out in Dashboards/.
    static let renderedPaths = [
        "grafana/tokenwarden-budgets.json", "grafana/tokenwarden-operations.json", "grafana/tokenwarden-spend.json",
        "prometheus/tokenwarden-alerts.yml", "prometheus/tokenwarden-recording.yml",
    ]

    static func render(_ arguments: [String]) throws -> (directory: URL, result: Tools.Result) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("render-\(UUID().uuidString)")
        let result = try Tools.run(executable: WardenProcess.binaryPath, ["dashboards", "render", "--out", directory.path] + arguments)
        return (directory, result)
    }

    static func files(under directory: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".json") || $0.hasSuffix(".yml") }.sorted()
    }

    @Test func theShippedFilesAreExactlyTheRenderedDefaults() throws {
        let (directory, result) = try Self.render([])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.status == 0, "\(result.output)")
        #expect(Self.files(under: directory) == Self.renderedPaths)
        for path in Self.renderedPaths {
            let rendered = try Data(contentsOf: directory.appendingPathComponent(path))
            let shipped = try Data(contentsOf: ShippedDashboards.directory.appendingPathComponent(path))
            #expect(rendered == shipped, "Dashboards/\(path) differs from `tokenwarden dashboards render`: edit its template and re-render (make dashboards)")
        }
    }

    /// Every shipped dashboard and rule file has its template: none is edited by hand beside them.
    @Test func everyShippedDashboardAndRuleFileIsRendered() {
        let shipped = Self.files(under: ShippedDashboards.directory).filter {
            ($0.hasPrefix("grafana/") && !$0.hasPrefix("grafana/provisioning/")) || ($0.hasPrefix("prometheus/") && !$0.hasPrefix("prometheus/tests/"))
        }
        #expect(shipped == Self.renderedPaths)
    }

    @Test func aCurrencyLabelsEveryMoneyPanelAndIsTheVariablesFirstChoice() throws {
        let (directory, result) = try Self.render(["--currency", "EUR"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.status == 0, "\(result.output)")
        var moneyPanels = 0
        for name in ShippedDashboards.uids.keys.sorted() {
            let shipped = try GrafanaDashboard(file: ShippedDashboards.directory.appendingPathComponent("grafana/\(name)"))
            let rendered = try GrafanaDashboard(file: directory.appendingPathComponent("grafana/\(name)"))
            let text = try String(contentsOf: directory.appendingPathComponent("grafana/\(name)"), encoding: .utf8)
            #expect(!text.contains("USD"), "\(name) still names USD")
            #expect(rendered.dataPanels.count == shipped.dataPanels.count)
            for (before, after) in zip(shipped.dataPanels, rendered.dataPanels) {
                let unitBefore = Self.unit(before)
                let unitAfter = Self.unit(after)
                if unitBefore == "currencyUSD" {
                    moneyPanels += 1
                    #expect(unitAfter == "currencyEUR", "\(name): \(after["title"] ?? "?") is in \(unitAfter ?? "no unit")")
                } else {
                    #expect(unitAfter == unitBefore)
                }
                // Only the unit changes: the queries still filter on $currency.
                #expect(Self.exprs(before) == Self.exprs(after))
            }
            if let currency = rendered.variables.first(where: { $0["name"] as? String == "currency" }) {
                #expect((currency["current"] as? [String: Any])?["value"] as? String == "EUR")
                #expect(GrafanaDashboard.variableQuery(currency) == "label_values(tokenwarden_cost_total, currency)")
            }
        }
        #expect(moneyPanels == 22)
    }

    @Test func aCurrencyGrafanaHasNoUnitForIsWrittenAsASuffix() throws {
        let (directory, result) = try Self.render(["--currency", "AUD"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.status == 0, "\(result.output)")
        let spend = try GrafanaDashboard(file: directory.appendingPathComponent("grafana/tokenwarden-spend.json"))
        #expect(spend.dataPanels.contains { Self.unit($0) == "suffix: AUD" })
    }

    @Test func runbookLinksBecomeAbsoluteAndTheRulesStayValid() async throws {
        let (directory, result) = try Self.render(["--runbook-base-url", "https://git.example.com/llm/tokenwarden/-/blob/main/"])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.status == 0, "\(result.output)")
        let alerts = try String(contentsOf: directory.appendingPathComponent("prometheus/tokenwarden-alerts.yml"), encoding: .utf8)
        let links = alerts.split(separator: "\n").filter { $0.contains("runbook_url:") }
        #expect(links.count == (try ShippedAlertRules().alerts.count))
        for (link, alert) in zip(links, try ShippedAlertRules().alerts) {
            #expect(link.trimmingCharacters(in: .whitespaces)
                    == "runbook_url: https://git.example.com/llm/tokenwarden/-/blob/main/docs/runbooks.md#\(alert.name.lowercased())")
        }
        let check = try await Tools.runOnOwnThread("promtool", ["check", "rules",
            directory.appendingPathComponent("prometheus/tokenwarden-recording.yml").path,
            directory.appendingPathComponent("prometheus/tokenwarden-alerts.yml").path])
        #expect(check.status == 0, "\(check.output)")
    }

    /// A directory holding only `tokenwarden.yaml` with `config`.
    static func deployment(_ config: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("render-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try config.write(to: directory.appendingPathComponent("tokenwarden.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    /// Every panel's legends, by dashboard file name.
    static func legends(_ directory: URL) throws -> [String: [String]] {
        var legends: [String: [String]] = [:]
        for name in ShippedDashboards.uids.keys {
            let dashboard = try GrafanaDashboard(file: directory.appendingPathComponent("grafana/\(name)"))
            legends[name] = dashboard.dataPanels.flatMap { panel in
                (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["legendFormat"] as? String }
            }
        }
        return legends
    }

    @Test func aDeploymentsExtraKeyFollowsTheAttributionKeysInEveryBudgetLegend() throws {
        let rules = try Self.deployment("attribution:\n  extra_keys: [cost_center]\n")
        defer { try? FileManager.default.removeItem(at: rules) }
        let (directory, result) = try Self.render(["--rules", rules.path])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.status == 0, "\(result.output)")
        let shipped = try Self.legends(ShippedDashboards.directory)
        let rendered = try Self.legends(directory)
        var listing = 0
        for name in shipped.keys.sorted() {
            let before = shipped[name] ?? []
            let after = rendered[name] ?? []
            #expect(after.count == before.count, "\(name)")
            for (old, new) in zip(before, after) {
                if old.contains("{{environment}}") {
                    listing += 1
                    #expect(new == old.replacingOccurrences(of: "{{environment}}", with: "{{environment}} {{cost_center}}"), "\(name)")
                } else {
                    #expect(new == old, "\(name): a legend that lists no attribution keys changed")
                }
            }
        }
        #expect(listing == 10, "the budget panels' legends that list every attribution key")
        // Nothing else changes: every other file is the shipped one.
        for path in Self.renderedPaths where path != "grafana/tokenwarden-budgets.json" {
            #expect(try Data(contentsOf: directory.appendingPathComponent(path))
                    == Data(contentsOf: ShippedDashboards.directory.appendingPathComponent(path)), "\(path)")
        }
    }

    @Test func extraKeysFollowInTheOrderTheDeploymentDeclaresThem() throws {
        let rules = try Self.deployment("attribution:\n  extra_keys: [region, cost_center]\n")
        defer { try? FileManager.default.removeItem(at: rules) }
        let (directory, result) = try Self.render(["--rules", rules.path])
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(result.status == 0, "\(result.output)")
        let budgets = try Self.legends(directory)["tokenwarden-budgets.json"] ?? []
        let listing = budgets.filter { $0.contains("{{environment}}") }
        #expect(!listing.isEmpty)
        #expect(listing.allSatisfy { $0.contains("{{environment}} {{region}} {{cost_center}}") }, "\(listing)")
    }

    @Test func aMissingOrInvalidDeploymentFileWritesNothing() throws {
        let invalid = try Self.deployment("attribution:\n  extra_key: [cost_center]\n")
        defer { try? FileManager.default.removeItem(at: invalid) }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("render-none-\(UUID().uuidString)")
        for (rules, message) in [(invalid.path, "tokenwarden.yaml:2:3: unknown key"), (empty.path, "tokenwarden.yaml: no such file")] {
            let (directory, result) = try Self.render(["--rules", rules])
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(result.status == 2, "\(result.output)")
            #expect(result.output.contains(message), "\(result.output)")
            #expect(!FileManager.default.fileExists(atPath: directory.path))
        }
    }

    @Test func aMalformedCurrencyOrURLWritesNothing() throws {
        for arguments in [["--currency", "euro"], ["--runbook-base-url", "docs.example.com"]] {
            let (directory, result) = try Self.render(arguments)
            defer { try? FileManager.default.removeItem(at: directory) }
            #expect(result.status != 0, "\(arguments) accepted")
            #expect(result.output.contains(arguments[0]), "\(result.output)")
            #expect(!FileManager.default.fileExists(atPath: directory.path))
        }
    }

    static func unit(_ panel: [String: Any]) -> String? {
        ((panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any])?["unit"] as? String
    }

    static func exprs(_ panel: [String: Any]) -> [String] {
        (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
    }
}
