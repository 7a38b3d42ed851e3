import WardenCore

/// `GET /`: a small self-contained HTML page — what is running, since when, and who spends most.
///
/// No external assets, so it works offline and behind strict proxies.
struct LandingPage: Sendable {
    let version: String
    let startedAt: Timestamp
    let clock: any WallClock
    let ledger: LiveLedger
    let readiness: Readiness

    func handle(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let (keys, totals, labelKeys) = ledger.read { ($0.keys, $0.totals, $0.labelKeys) }
        var byCurrency: [String: Money] = [:]
        var requests: Int64 = 0
        for total in totals {
            requests += total.requests
            for cost in total.costs { byCurrency[cost.currency, default: .zero] += cost.amount }
        }
        let top = zip(keys, totals)
            .map { (key: $0, cost: $1.costs.first?.amount ?? .zero, currency: $1.costs.first?.currency ?? "", requests: $1.requests) }
            .sorted { $0.cost > $1.cost }
            .prefix(10)
        let uptime = (clock.now().nanosecondsSinceEpoch - startedAt.nanosecondsSinceEpoch) / 1_000_000_000

        var html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>TokenWarden</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330;max-width:64rem}
            table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #dde;text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            </style></head><body>
            <h1>TokenWarden</h1>
            <p>Version \(escape(version)) · up \(Self.duration(uptime)) · \(readiness.isReady ? "ready" : "restoring ledger")</p>
            <p><a href="/metrics">/metrics</a> · <a href="/v1/usage">/v1/usage</a> · <a href="/v1/usage.csv">/v1/usage.csv</a> ·
            <a href="/-/healthy">/-/healthy</a> · <a href="/-/ready">/-/ready</a></p>
            <h2>Totals</h2><p>\(requests) requests recorded; spend:
            """
        html += byCurrency.isEmpty ? " none yet" : byCurrency.sorted { $0.key < $1.key }
            .map { " \($0.value.formatted(places: 2)) \(escape($0.key))" }.joined(separator: ",")
        html += "</p>\n<h2>Top spenders</h2>\n<table><tr><th>provider</th><th>model</th>"
        for key in labelKeys { html += "<th>\(escape(key))</th>" }
        html += "<th>requests</th><th>cost</th></tr>\n"
        for row in top {
            html += "<tr><td>\(escape(row.key.provider))</td><td>\(escape(row.key.model))</td>"
            for value in row.key.labelValues { html += "<td>\(escape(value))</td>" }
            html += "<td class=\"num\">\(row.requests)</td><td class=\"num\">\(row.cost.formatted(places: 4)) \(escape(row.currency))</td></tr>\n"
        }
        html += "</table>\n</body></html>\n"
        responder.send(HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "text/html; charset=utf-8")],
                                    body: Array(html.utf8)))
    }

    private func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m \(seconds % 60)s" }
        if seconds < 86_400 { return "\(seconds / 3600)h \(seconds / 60 % 60)m" }
        return "\(seconds / 86_400)d \(seconds / 3600 % 24)h"
    }
}
