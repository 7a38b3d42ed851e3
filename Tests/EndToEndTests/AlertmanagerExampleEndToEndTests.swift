import Foundation
import Testing
import TestSupport

/// The example `Dashboards/alertmanager/alertmanager.yml`, loaded into a real Alertmanager: alerts
/// posted through its API come back routed by team and severity, with one alert per budget step.
@Suite struct AlertmanagerExampleEndToEndTests {
    static var exampleFile: URL { ShippedDashboards.directory.appendingPathComponent("alertmanager/alertmanager.yml") }

    @Test func amtoolAcceptsTheExample() async throws {
        let result = try await Tools.runOnOwnThread("amtool", ["check-config", Self.exampleFile.path])
        #expect(result.status == 0, "amtool check-config:\n\(result.output)")
    }

    /// What Prometheus sends for one denying budget whose throttle and warn alerts have not resolved
    /// yet, plus another budget at warn: the denying one's lower steps are inhibited, the other
    /// budget's warn is not (inhibition needs the same budget and scope).
    @Test func aDenyingBudgetInhibitsItsOwnLowerStepsOnly() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("am-example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let alertmanager = try await AlertmanagerServer(directory: directory, configuration: Self.exampleFile)
        defer { alertmanager.stop() }

        let scope = #""job":"tokenwarden","instance":"tw:9473","org":"acme","team":"search""#
        let alerts = [
            #"{"labels":{"alertname":"TokenWardenBudgetDenying","severity":"critical","step":"deny","budget":"team-monthly",\#(scope)}}"#,
            #"{"labels":{"alertname":"TokenWardenBudgetThrottling","severity":"critical","step":"throttle","budget":"team-monthly",\#(scope)}}"#,
            #"{"labels":{"alertname":"TokenWardenBudgetWarn","severity":"warning","step":"warn","budget":"team-monthly",\#(scope)}}"#,
            #"{"labels":{"alertname":"TokenWardenBudgetForecastOverrun","severity":"warning","budget":"team-monthly",\#(scope)}}"#,
            #"{"labels":{"alertname":"TokenWardenBudgetWarn","severity":"warning","step":"warn","budget":"agent-weekly",\#(scope)}}"#,
        ]
        let posted = try await HTTP.postJSON("\(alertmanager.baseURL)/api/v2/alerts", "[\(alerts.joined(separator: ","))]")
        #expect(posted.status == 200, "\(posted.text)")

        var states: [String: String] = [:]
        let listed: Bool? = try await poll(for: .seconds(30), every: .milliseconds(200)) {
            states = [:]
            for alert in try await alertmanager.allAlerts() {
                let labels = alert["labels"] as? [String: String] ?? [:]
                let state = (alert["status"] as? [String: Any])?["state"] as? String ?? "?"
                states["\(labels["alertname"] ?? "?")/\(labels["budget"] ?? "?")"] = state
            }
            return states.count == alerts.count && !states.values.contains("unprocessed") ? true : nil
        }
        #expect(listed == true, "alerts listed: \(states)")
        #expect(states == [
            "TokenWardenBudgetDenying/team-monthly": "active",
            "TokenWardenBudgetThrottling/team-monthly": "suppressed",
            "TokenWardenBudgetWarn/team-monthly": "suppressed",
            "TokenWardenBudgetForecastOverrun/team-monthly": "suppressed",
            "TokenWardenBudgetWarn/agent-weekly": "active",
        ])
    }

    /// A team's alerts go to that team and on to the severity's receiver; other teams' only to the
    /// severity's receiver; info alerts to the default receiver.
    @Test func alertsRouteByTeamAndBySeverity() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("am-example-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let alertmanager = try await AlertmanagerServer(directory: directory, configuration: Self.exampleFile)
        defer { alertmanager.stop() }

        let alerts = [
            #"{"labels":{"alertname":"TokenWardenBudgetDenying","severity":"critical","budget":"b1","team":"search"}}"#,
            #"{"labels":{"alertname":"TokenWardenBudgetWarn","severity":"warning","budget":"b2","team":"ads"}}"#,
            #"{"labels":{"alertname":"TokenWardenBudgetWarn","severity":"warning","budget":"b3","team":"research"}}"#,
            #"{"labels":{"alertname":"TokenWardenDown","severity":"critical","instance":"tw:9473"}}"#,
            #"{"labels":{"alertname":"TokenWardenReservationExpired","severity":"info"}}"#,
        ]
        let posted = try await HTTP.postJSON("\(alertmanager.baseURL)/api/v2/alerts", "[\(alerts.joined(separator: ","))]")
        #expect(posted.status == 200, "\(posted.text)")

        var receivers: [String: Set<String>] = [:]
        let routed: Bool? = try await poll(for: .seconds(30), every: .milliseconds(200)) {
            receivers = [:]
            for group in try await alertmanager.groups() {
                let receiver = (group["receiver"] as? [String: Any])?["name"] as? String ?? "?"
                for alert in group["alerts"] as? [[String: Any]] ?? [] {
                    let labels = alert["labels"] as? [String: String] ?? [:]
                    receivers[labels["budget"] ?? labels["alertname"] ?? "?", default: []].insert(receiver)
                }
            }
            return receivers.count == alerts.count ? true : nil
        }
        #expect(routed == true, "routed: \(receivers)")
        #expect(receivers == [
            "b1": ["team-search", "tokenwarden-pager"],
            "b2": ["team-ads", "tokenwarden-chat"],
            "b3": ["tokenwarden-chat"],
            "TokenWardenDown": ["tokenwarden-pager"],
            "TokenWardenReservationExpired": ["tokenwarden-default"],
        ])
    }
}
