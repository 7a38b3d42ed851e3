import Foundation
import Testing

/// `tokenwarden dashboards render`: the shipped Dashboards/ files are its output for the defaults,
/// and a deployment's currency and runbook address reach every panel and alert.
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
