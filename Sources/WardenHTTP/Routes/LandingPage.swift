import Foundation
import WardenCore
import WardenRuntime
import WardenStore

/// `GET /`: the spend page — spend by team and by model for today and this month, every budget
/// coloured by its step, active overrides, override and approval requests waiting for an approver, the most recent
/// sessions, and links to the exports.
///
/// Server-rendered HTML with inline SVG and CSS: no script and no external assets, so it works
/// offline, behind strict proxies and for people who do not run Grafana. Days and months are those
/// of the reporting zone (`reporting.timezone`), which the page names.
struct LandingPage: Sendable {
    let version: String
    let startedAt: Timestamp
    let clock: any WallClock
    let calendar: ReportingCalendar
    let ledger: LiveLedger
    let readiness: Readiness
    let store: UsageStore
    let rules: RuleHost
    let overrides: OverrideGovernance
    let approvals: ApprovalGovernance

    /// A scoped key sees the spend and the budgets of its scope only, and no server-wide count.
    func handle(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        let now = clock.now()
        let uptime = (now.nanosecondsSinceEpoch - startedAt.nanosecondsSinceEpoch) / 1_000_000_000
        let counted = caller.isScoped ? "scoped to \(HTMLText.escape(APIKey.scopeText(caller.scope)))"
            : "\(ledger.read { $0.grandTotal.requests }) requests recorded"
        let metricsLink = caller.isScoped ? "" : " · <a href=\"/metrics\">/metrics</a>"
        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>TokenWarden — spend</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330;max-width:72rem}
            h2{margin-top:2rem;border-bottom:1px solid #dde}
            .grid{display:flex;flex-wrap:wrap;gap:1.5rem}.grid section{flex:1 1 30rem}
            table{border-collapse:collapse}td,th{padding:.3rem .7rem;border-bottom:1px solid #dde;text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            .green{color:#1a7f37}.amber{color:#b35900}.red{color:#c62828;font-weight:600}
            .empty,.note{color:#667}
            </style></head><body>
            <h1>TokenWarden</h1>
            <p>Version \(HTMLText.escape(version)) · up \(Self.duration(uptime)) · \(readiness.isReady ? "ready" : HTMLText.escape(readiness.unavailableReason)) ·
            \(counted) · \(HTMLText.escape(now.rfc3339.prefix(16) + "Z"))</p>
            <p>Exports: <a href="/v1/usage.csv">usage (CSV)</a> · <a href="/v1/audit.csv">audit log (CSV)</a> ·
            <a href="/v1/usage">usage (JSON)</a>\(metricsLink)</p>

            """
        do {
            let summary = try SpendSummary.compute(from: store, now: now, calendar: calendar, scope: caller.scope)
            html += "<h2>Spend</h2>\n<p class=\"note\">Days and months in \(HTMLText.escape(calendar.timeZone.name)).</p>\n<div class=\"grid\">\n"
            html += section("By team, today", summary.teamsToday, emptyKey: "(no team)")
            html += section("By team, this month", summary.teamsMonth, emptyKey: "(no team)")
            html += section("By model, today", summary.modelsToday, emptyKey: "(none)")
            html += section("By model, this month", summary.modelsMonth, emptyKey: "(none)")
            html += "</div>\n"
            if summary.truncated {
                html += "<p class=\"note\">Only the month's \(summary.scanned) most recent events were read for this page.</p>\n"
            }
            html += budgets(rules.snapshot().budgets.filter { caller.covers($0.labels) })
            html += overrideTable(caller)
            html += approvalTable(caller)
            html += sessions(summary.sessions)
        } catch {
            html += "<p class=\"red\">The usage log could not be read: \(HTMLText.escape("\(error)"))</p>\n"
        }
        html += "</body></html>\n"
        responder.send(HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "text/html; charset=utf-8"),
                                                           (name: "Cache-Control", value: "no-store")],
                                    body: Array(html.utf8)))
    }

    private func section(_ title: String, _ rows: [SpendSummary.Row], emptyKey: String) -> String {
        let top = rows.prefix(12)
        let largest = top.map(\.cost.approximateDouble).max() ?? 0
        let chart = SVGBarChart(title: title, bars: top.map { row in
            SVGBarChart.Bar(label: row.key.isEmpty ? emptyKey : row.key,
                            valueText: "\(row.cost.formatted(places: 2)) \(row.currency) · \(row.requests) req",
                            fraction: largest > 0 ? row.cost.approximateDouble / largest : 0, colour: "#3b6fd4")
        })
        var text = "<section><h3>\(HTMLText.escape(title))</h3>\n" + chart.render()
        if rows.count > top.count { text += "<p class=\"note\">and \(rows.count - top.count) more</p>\n" }
        return text + "</section>\n"
    }

    /// Green under the first warning, amber while notifying or warning, orange throttling, red denying.
    static func colour(for step: StepAction?) -> String {
        switch step {
        case nil: "#2e9d4f"
        case .notify: "#d9a400"
        case .warn: "#e08a00"
        case .throttle: "#e05a00"
        case .deny: "#c62828"
        }
    }

    private func budgets(_ budgets: [BudgetSnapshot]) -> String {
        var text = "<h2>Budgets</h2>\n"
        guard !budgets.isEmpty else { return text + "<p class=\"empty\">No budget has seen usage yet (see Rules/*.yaml).</p>\n" }
        var bars: [SVGBarChart.Bar] = []
        for budget in budgets.prefix(60) {
            guard let unit = budget.units.max(by: { $0.ratio < $1.ratio }) else { continue }
            let scope = budget.labels.filter { budget.labels.count == 1 || $0.key != "org" }.map { "\($0.value)" }.joined(separator: "/")
            let ratio = unit.ratio.approximateDouble
            let amount = unit.unit == "tokens" ? "\(unit.used.formatted(places: 0)) of \(unit.limit.formatted(places: 0)) tokens"
                : "\(unit.used.formatted(places: 2)) of \(unit.limit.formatted(places: 2)) \(unit.unit)"
            bars.append(.init(label: scope.isEmpty ? budget.budget : "\(budget.budget) \(scope)",
                              valueText: "\(String(format: "%.0f", ratio * 100))% · \(amount) · \(budget.activeStep?.rawValue ?? "ok")",
                              fraction: ratio / 1.5, colour: Self.colour(for: budget.activeStep)))
        }
        text += SVGBarChart(title: "Budget usage (bar full = 150%)", bars: bars).render()
        if budgets.count > 60 { text += "<p class=\"note\">and \(budgets.count - 60) more budget instances (see /metrics)</p>\n" }
        return text
    }

    /// Active overrides and requests waiting for an approver, inside the caller's scope.
    private func overrideTable(_ caller: APICaller) -> String {
        var text = "<h2>Overrides</h2>\n"
        let live: [OverrideRecord]
        do throws(OverrideError) {
            live = try overrides.list(visibleTo: .viewer(scope: caller.scope)).filter { $0.status.isLive }
        } catch {
            return text + "<p class=\"red\">The overrides could not be read: \(HTMLText.escape(error.message))</p>\n"
        }
        guard !live.isEmpty else { return text + "<p class=\"empty\">No active overrides and no pending requests.</p>\n" }
        text += "<table><tr><th>id</th><th>status</th><th>budget</th><th>instance</th><th>change</th><th>until</th><th>requested by</th><th>reason</th></tr>\n"
        for record in live.sorted(by: { ($0.status == .active ? 0 : 1, $0.created) < ($1.status == .active ? 0 : 1, $1.created) }) {
            let until = record.status == .active ? record.expiresAt : record.approvalExpiresAt
            let untilText = until.map { String($0.rfc3339.prefix(19)) + "Z" } ?? ""
            text += "<tr><td>\(HTMLText.escape(record.id))</td>"
                + "<td class=\"\(record.status == .active ? "green" : "amber")\">\(record.status == .active ? "active" : "pending approval")</td>"
                + "<td>\(HTMLText.escape(record.budget))</td><td>\(HTMLText.escape(record.instanceText))</td>"
                + "<td>\(HTMLText.escape(record.change.description))</td>"
                + "<td title=\"\(record.status == .active ? "ends" : "the request expires unapproved")\">\(HTMLText.escape(untilText))</td>"
                + "<td>\(HTMLText.escape(record.requestedBy))</td><td>\(HTMLText.escape(record.reason))</td></tr>\n"
        }
        return text + "</table>\n"
    }

    /// Approval requests of checks refused by `require_approval` policies that wait for an
    /// approver, inside the caller's scope.
    private func approvalTable(_ caller: APICaller) -> String {
        var text = "<h2>Pending approvals</h2>\n"
        let pending: [ApprovalRecord]
        do throws(OverrideError) {
            pending = try approvals.list(status: .pending, visibleTo: .viewer(scope: caller.scope))
        } catch {
            return text + "<p class=\"red\">The approvals could not be read: \(HTMLText.escape(error.message))</p>\n"
        }
        guard !pending.isEmpty else { return text + "<p class=\"empty\">No checks wait for an approval.</p>\n" }
        text += "<table><tr><th>id</th><th>policies</th><th>model</th><th>attribution</th><th>estimate</th><th>expires</th><th>requested by</th></tr>\n"
        for record in pending {
            text += "<tr><td>\(HTMLText.escape(record.id))</td><td class=\"amber\">\(HTMLText.escape(record.policies.joined(separator: ", ")))</td>"
                + "<td>\(HTMLText.escape(record.provider))/\(HTMLText.escape(record.model))</td><td>\(HTMLText.escape(record.attributionText))</td>"
                + "<td class=\"num\">\(HTMLText.escape(record.estimatedCost.exactDecimal)) \(HTMLText.escape(record.currency)) · \(record.estimatedTokens) tokens</td>"
                + "<td>\(HTMLText.escape(String(record.approvalExpiresAt.rfc3339.prefix(19))))Z</td>"
                + "<td>\(HTMLText.escape(record.requestedBy))</td></tr>\n"
        }
        return text + "</table>\n"
    }

    /// Under $1 green, $1 to $5 amber, above $5 red.
    static func costClass(_ cost: Money) -> String {
        if cost < Money(attos: Money.attosPerUnit) { return "green" }
        if cost <= Money(attos: 5 * Money.attosPerUnit) { return "amber" }
        return "red"
    }

    private func sessions(_ sessions: [SpendSummary.Session]) -> String {
        var text = "<h2>Recent sessions</h2>\n"
        guard !sessions.isEmpty else { return text + "<p class=\"empty\">No usage with a session label this month.</p>\n" }
        text += "<table><tr><th>session</th><th>last seen</th><th>requests</th><th>tokens</th><th>cost</th><th title=\"average cost of the last 10 requests against the 10 before\">trend</th></tr>\n"
        for session in sessions {
            let arrow: String = switch session.trend {
            case .up: "<span class=\"red\" title=\"costlier\">↑</span>"
            case .down: "<span class=\"green\" title=\"cheaper\">↓</span>"
            case .flat: "<span title=\"steady\">→</span>"
            case .none: "<span class=\"empty\" title=\"too few requests\">·</span>"
            }
            text += "<tr><td>\(HTMLText.escape(session.session))</td><td>\(HTMLText.escape(String(session.lastSeen.rfc3339.prefix(19))))Z</td>"
                + "<td class=\"num\">\(session.requests)</td><td class=\"num\">\(session.tokens)</td>"
                + "<td class=\"num \(Self.costClass(session.cost))\">\(session.cost.formatted(places: 4)) \(HTMLText.escape(session.currency))</td>"
                + "<td>\(arrow)</td></tr>\n"
        }
        return text + "</table>\n"
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(seconds / 60 % 60)m" }
        return "\(seconds / 86_400)d \(seconds / 3600 % 24)h"
    }
}
