import Foundation
import Testing

/// The shipped Grafana dashboards and Prometheus rule files, checked as files: what Grafana's
/// import screen and file provisioning need, and what promtool says of the rules.
/// (DashboardQueriesEndToEndTests runs every panel's query against a real Prometheus.)
@Suite struct DashboardFilesTests {
    @Test func everyDashboardHasTheDatasourceInputAndVariable() throws {
        for dashboard in try ShippedDashboards.loadAll() {
            let inputs = dashboard.json["__inputs"] as? [[String: Any]] ?? []
            #expect(inputs.contains {
                $0["name"] as? String == "DS_PROMETHEUS" && $0["type"] as? String == "datasource" && $0["pluginId"] as? String == "prometheus"
            }, "\(dashboard.name): no DS_PROMETHEUS datasource input for the import screen")
            // File provisioning does not fill __inputs: there `${DS_PROMETHEUS}` resolves through this variable.
            #expect(dashboard.variables.contains {
                $0["name"] as? String == "DS_PROMETHEUS" && $0["type"] as? String == "datasource" && $0["query"] as? String == "prometheus"
            }, "\(dashboard.name): no DS_PROMETHEUS datasource variable for provisioning")
            #expect(dashboard.json["id"] is NSNull, "\(dashboard.name): a shipped dashboard has no database id")
            #expect((dashboard.json["schemaVersion"] as? Int ?? 0) >= 39, "\(dashboard.name): not the current schema")
        }
    }

    @Test func uidsAreStableAndUnique() throws {
        let dashboards = try ShippedDashboards.loadAll()
        #expect(dashboards.count == ShippedDashboards.uids.count)
        for dashboard in dashboards {
            #expect(dashboard.uid == ShippedDashboards.uids[dashboard.name], "\(dashboard.name): uid \(dashboard.uid ?? "none")")
            let ids = dashboard.panels.compactMap { $0["id"] as? Int }
            #expect(ids.count == dashboard.panels.count && Set(ids).count == ids.count, "\(dashboard.name): panel ids missing or repeated")
        }
        #expect(Set(dashboards.compactMap(\.uid)).count == dashboards.count)
    }

    @Test func everyPanelHasAUnitAndAQueryOnTheDatasourceVariable() throws {
        for dashboard in try ShippedDashboards.loadAll() {
            #expect(!dashboard.dataPanels.isEmpty, "\(dashboard.name) has no panels")
            for panel in dashboard.dataPanels {
                let title = "\(dashboard.name): \(panel["title"] as? String ?? "untitled panel")"
                let unit = ((panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any])?["unit"] as? String
                #expect(unit?.isEmpty == false, "\(title): no unit")
                #expect((panel["datasource"] as? [String: Any])?["uid"] as? String == "${DS_PROMETHEUS}", "\(title): datasource")
                let targets = panel["targets"] as? [[String: Any]] ?? []
                #expect(!targets.isEmpty, "\(title): no query")
                for target in targets {
                    let expr = (target["expr"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                    #expect(!expr.isEmpty, "\(title): a target without an expr")
                    #expect((target["datasource"] as? [String: Any])?["uid"] as? String == "${DS_PROMETHEUS}", "\(title): target datasource")
                }
            }
        }
    }

    @Test func templateVariablesComeFromLabelValues() throws {
        var names: [String: Set<String>] = [:]
        for dashboard in try ShippedDashboards.loadAll() {
            for variable in dashboard.variables where variable["type"] as? String == "query" {
                let query = GrafanaDashboard.variableQuery(variable) ?? ""
                #expect(query.hasPrefix("label_values("), "\(dashboard.name): $\(variable["name"] ?? "?") is \(query)")
                #expect((variable["datasource"] as? [String: Any])?["uid"] as? String == "${DS_PROMETHEUS}")
                if variable["includeAll"] as? Bool == true {
                    // `.*` also matches the empty value of an event that did not name a team.
                    #expect(variable["allValue"] as? String == ".*", "\(dashboard.name): $\(variable["name"] ?? "?") All")
                }
                names[dashboard.name, default: []].insert(variable["name"] as? String ?? "")
            }
        }
        #expect(names["tokenwarden-spend.json"]?.isSuperset(of: ["org", "team", "project", "model", "agent"]) == true)
        #expect(names["tokenwarden-budgets.json"]?.isSuperset(of: ["org", "team", "project", "agent", "budget"]) == true)
        #expect(names["tokenwarden-operations.json"]?.isSuperset(of: ["job", "instance"]) == true)
    }

    /// Money panels are in USD (the shipped files render the default currency), token panels in tokens (`short`), durations in seconds, ratios in
    /// percent; and every usage-ratio panel is coloured at the ladder.
    @Test func unitsMatchWhatThePanelsShow() throws {
        for dashboard in try ShippedDashboards.loadAll() {
            for panel in dashboard.dataPanels {
                let title = "\(dashboard.name): \(panel["title"] as? String ?? "?")"
                let defaults = (panel["fieldConfig"] as? [String: Any])?["defaults"] as? [String: Any] ?? [:]
                let unit = defaults["unit"] as? String ?? ""
                let exprs = (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
                let all = exprs.joined(separator: "\n")
                // Spend, not a ratio of it (cost per request, trend).
                if exprs.allSatisfy({ $0.contains("tokenwarden_cost") || $0.contains("tokenwarden_period_cost") }) && !all.contains(" / ") {
                    #expect(unit == "currencyUSD", "\(title): spend shown in \(unit)")
                }
                if all.contains("_duration_seconds_bucket") || all.contains("scrape_duration_seconds") {
                    #expect(unit == "s", "\(title): durations shown in \(unit)")
                }
                // Money computed from prices (cache savings) or per-user spend.
                if exprs.allSatisfy({ $0.contains("tokenwarden_price_per_token") || $0.contains("tokenwarden_user_spend") }) {
                    #expect(unit == "currencyUSD", "\(title): money shown in \(unit)")
                }
                if exprs.allSatisfy({ $0.contains("tokenwarden_tokens_total") || $0.contains("tokenwarden_reasoning_tokens_total") })
                    && !all.contains(" / ") && !all.contains("tokenwarden_price_per_token") {
                    #expect(unit == "short", "\(title): tokens shown in \(unit)")
                }
                if all.contains("usage_ratio") {
                    #expect(unit == "percentunit", "\(title): a ratio shown in \(unit)")
                    let steps = (defaults["thresholds"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []
                    let values = steps.compactMap { ($0["value"] as? NSNumber)?.doubleValue }
                    #expect(values == [0.5, 0.8, 1.0, 1.2], "\(title): thresholds \(values) are not the ladder")
                    #expect(Set(steps.compactMap { $0["color"] as? String }).count == steps.count, "\(title): each step its own colour")
                }
            }
        }
    }

    /// Spend is read exactly: the current period from `tokenwarden_period_cost`, other ranges as the
    /// counter now minus the counter at the range's start. increase() and rate() start a label set
    /// at its first scrape, so they missed the first value of every new team, model or project.
    @Test func spendPanelsNeverReadTheCostCounterThroughIncreaseOrRate() throws {
        for dashboard in try ShippedDashboards.loadAll() {
            for panel in dashboard.dataPanels {
                let exprs = (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
                let all = exprs.joined(separator: "\n")
                guard all.contains("tokenwarden_cost_total"), !all.contains(" / ") else { continue }
                #expect(!all.contains("increase(") && !all.contains("rate("),
                        "\(dashboard.name): \(panel["title"] as? String ?? "?") reads spend through increase() or rate()")
            }
        }
        let recording = try String(contentsOf: ShippedDashboards.directory.appendingPathComponent("prometheus/tokenwarden-recording.yml"),
                                   encoding: .utf8)
        #expect(!recording.contains("rate(tokenwarden_cost_total") && !recording.contains("increase(tokenwarden_cost_total"))
    }

    /// "Today" and "this month" are the reporting zone's, and the panels say which zone that is.
    @Test func periodPanelsNameTheReportingTimeZone() throws {
        var found = 0
        for dashboard in try ShippedDashboards.loadAll() {
            for panel in dashboard.dataPanels {
                let exprs = (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
                guard exprs.contains(where: { $0.contains("tokenwarden_period_cost") || $0.contains("tokenwarden_user_spend") }) else { continue }
                found += 1
                let title = panel["title"] as? String ?? ""
                #expect(title.contains("($timezone)"), "\(dashboard.name): \(title) does not name the reporting zone")
                #expect(panel["timeFrom"] == nil, "\(dashboard.name): \(title) overrides the time range, which the browser's zone would set")
            }
            if found > 0 {
                #expect(dashboard.variables.contains {
                    $0["name"] as? String == "timezone" && GrafanaDashboard.variableQuery($0) == "label_values(tokenwarden_reporting_info, timezone)"
                }, "\(dashboard.name): no $timezone variable")
            }
        }
        #expect(found >= 10)
    }

    /// A `per:` budget has one series per instance; a legend that names every standard attribution
    /// key tells its instances apart (per user, per session...), where one naming only org, team,
    /// project and agent showed every user's line under the same name.
    @Test func budgetLegendsNameEveryAttributionKey() throws {
        let keys = ["org", "team", "project", "user", "agent", "session", "feature", "environment"]
        var checked = 0
        for dashboard in try ShippedDashboards.loadAll() {
            for panel in dashboard.dataPanels {
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    let legend = target["legendFormat"] as? String ?? ""
                    guard legend.contains("{{budget}}") else { continue }
                    checked += 1
                    for key in keys {
                        #expect(legend.contains("{{\(key)}}"), "\(dashboard.name): \(panel["title"] ?? "?") legend \(legend) lacks \(key)")
                    }
                }
            }
        }
        #expect(checked >= 10)
    }

    /// A panel reading a recorded series needs a recording rule that writes it.
    @Test func recordedSeriesThatPanelsReadAreRecorded() throws {
        let rules = try ShippedAlertRules()
        let name = try NSRegularExpression(pattern: #"[a-z_]+:[a-z0-9_:]+"#)
        for dashboard in try ShippedDashboards.loadAll() {
            for query in dashboard.queries {
                for match in name.matches(in: query.expr, range: NSRange(query.expr.startIndex..., in: query.expr)) {
                    let recorded = String(query.expr[Range(match.range, in: query.expr)!])
                    #expect(rules.recordedNames.contains(recorded), "\(dashboard.name): \(query.panel) reads \(recorded), which no rule records")
                }
            }
        }
    }

    @Test func promtoolAcceptsTheRuleFiles() async throws {
        let result = try await Tools.runOnOwnThread("promtool", ["check", "rules"] + ShippedDashboards.ruleFiles)
        #expect(result.status == 0, "promtool check rules:\n\(result.output)")
    }

    @Test func promtoolRuleTestsPass() async throws {
        let files = try ShippedDashboards.ruleTestFiles()
        #expect(!files.isEmpty)
        let result = try await Tools.runOnOwnThread("promtool", ["test", "rules"] + files)
        #expect(result.status == 0, "promtool test rules:\n\(result.output)")
    }

    @Test func everyAlertIsTestedFiringAndSilent() throws {
        let rules = try ShippedAlertRules()
        let coverage = try ShippedAlertRules.coverage()
        #expect(rules.alerts.count >= 10)
        for alert in rules.alerts {
            #expect(coverage[alert.name]?.fires == true, "no promtool test expects \(alert.name) to fire")
            #expect(coverage[alert.name]?.silent == true, "no promtool test expects \(alert.name) to stay silent")
        }
        #expect(Set(coverage.keys).isSubset(of: Set(rules.alerts.map(\.name))), "tests name alerts that do not exist")
    }

    /// Every alert links its own runbook section: `docs/runbooks.md#<alert name in lower case>`,
    /// the anchor of a `## <AlertName>` heading in docs/runbooks.md.
    @Test func everyAlertHasASummaryADescriptionAndARunbookSection() throws {
        let root = ShippedDashboards.directory.deletingLastPathComponent()
        let runbooks = "docs/runbooks.md"
        var anchors = Set<String>()
        let text = try String(contentsOf: root.appendingPathComponent(runbooks), encoding: .utf8)
        for line in text.split(separator: "\n") where line.hasPrefix("#") {
            anchors.insert(Self.githubAnchor(line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)))
        }
        for alert in try ShippedAlertRules().alerts {
            #expect(alert.annotations["summary"]?.isEmpty == false, "\(alert.name): no summary")
            #expect(alert.annotations["description"]?.isEmpty == false, "\(alert.name): no description")
            let url = alert.annotations["runbook_url"] ?? ""
            #expect(url == "\(runbooks)#\(alert.name.lowercased())", "\(alert.name): runbook_url \(url)")
            #expect(anchors.contains(alert.name.lowercased()), "\(alert.name): no heading in \(runbooks) for \(url)")
        }
    }

    /// GitHub's heading anchors: lower case, spaces to `-`, punctuation other than `-` and `_` dropped.
    static func githubAnchor(_ heading: String) -> String {
        String(heading.lowercased().compactMap { character -> Character? in
            if character == " " { return "-" }
            if character.isLetter || character.isNumber || character == "-" || character == "_" { return character }
            return nil
        })
    }

    @Test func theProvisioningExampleNamesTheShippedFilesAndAPrometheusDatasource() throws {
        let provisioning = ShippedDashboards.directory.appendingPathComponent("grafana/provisioning")
        let provider = try String(contentsOf: provisioning.appendingPathComponent("dashboards/tokenwarden.yml"), encoding: .utf8)
        #expect(provider.contains("type: file"))
        for file in ShippedDashboards.uids.keys { #expect(provider.contains(file), "\(file) not mentioned") }
        let datasource = try String(contentsOf: provisioning.appendingPathComponent("datasources/tokenwarden-prometheus.yml"), encoding: .utf8)
        #expect(datasource.contains("type: prometheus"))
        #expect(datasource.contains("isDefault: true"))
    }
}
