import Foundation

/// The files shipped in `Dashboards/`, read as Grafana and Prometheus read them.
enum ShippedDashboards {
    /// `<root>/Dashboards`, found from this file: `<root>/Tests/EndToEndTests/Support/ShippedDashboards.swift`.
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Dashboards")

    /// The dashboards and the uids they must keep: links and provisioned copies depend on them.
    static let uids = [
        "tokenwarden-spend.json": "tokenwarden-spend",
        "tokenwarden-budgets.json": "tokenwarden-budgets",
        "tokenwarden-operations.json": "tokenwarden-operations",
    ]

    static var recordingRules: String { directory.appendingPathComponent("prometheus/tokenwarden-recording.yml").path }
    static var alertRules: String { directory.appendingPathComponent("prometheus/tokenwarden-alerts.yml").path }
    static var ruleFiles: [String] { [recordingRules, alertRules] }

    static func ruleTestFiles() throws -> [String] {
        let tests = directory.appendingPathComponent("prometheus/tests")
        return try FileManager.default.contentsOfDirectory(atPath: tests.path)
            .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
            .map { tests.appendingPathComponent($0).path }
    }

    static func loadAll() throws -> [GrafanaDashboard] {
        try uids.keys.sorted().map { try GrafanaDashboard(file: directory.appendingPathComponent("grafana/\($0)")) }
    }
}

/// One Grafana dashboard JSON file, with what the tests need from it.
struct GrafanaDashboard {
    let name: String
    let json: [String: Any]

    init(file: URL) throws {
        name = file.lastPathComponent
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] else {
            throw TestFailure("\(name) is not a JSON object")
        }
        json = object
    }

    var uid: String? { json["uid"] as? String }

    /// Every panel, rows' nested panels included (a collapsed row keeps its panels inside it).
    var panels: [[String: Any]] {
        var all: [[String: Any]] = []
        for panel in json["panels"] as? [[String: Any]] ?? [] {
            all.append(panel)
            all += panel["panels"] as? [[String: Any]] ?? []
        }
        return all
    }

    /// The panels that show data (rows only group them).
    var dataPanels: [[String: Any]] { panels.filter { $0["type"] as? String != "row" } }

    var variables: [[String: Any]] { (json["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? [] }

    /// A query variable's query text (Grafana 10+ stores it as an object, older versions as a string).
    static func variableQuery(_ variable: [String: Any]) -> String? {
        if let text = variable["query"] as? String { return text }
        return (variable["query"] as? [String: Any])?["query"] as? String
    }

    struct Query {
        var panel: String
        var refId: String
        var expr: String
        var instant: Bool
        /// The panel's own relative time (`now/d`: today so far), if it has one.
        var timeFrom: String?
    }

    var queries: [Query] {
        dataPanels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).map { target in
                Query(panel: panel["title"] as? String ?? "?", refId: target["refId"] as? String ?? "?",
                      expr: target["expr"] as? String ?? "", instant: target["instant"] as? Bool ?? false,
                      timeFrom: panel["timeFrom"] as? String)
            }
        }
    }

    /// Replaces `$name` and `${name}` with `values[name]`; throws for a variable it does not know,
    /// so a typo in a panel's query fails the test instead of reaching Prometheus as `$tema`.
    static func substitute(_ text: String, _ values: [String: String]) throws -> String {
        let pattern = try NSRegularExpression(pattern: #"\$\{(\w+)(?::\w+)?\}|\$(\w+)"#)
        var result = ""
        var last = text.startIndex
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let range = Range(match.range, in: text)!
            let nameRange = match.range(at: 1).location != NSNotFound ? match.range(at: 1) : match.range(at: 2)
            let name = String(text[Range(nameRange, in: text)!])
            guard let value = values[name] else { throw TestFailure("unknown variable $\(name) in \(text)") }
            result += text[last..<range.lowerBound] + value
            last = range.upperBound
        }
        return result + text[last...]
    }
}

/// What the tests need from the shipped Prometheus rule files, read line by line (the files are ours
/// and regular; promtool checks their YAML).
struct ShippedAlertRules {
    struct Alert {
        var name: String
        var annotations: [String: String] = [:]
    }

    let alerts: [Alert]
    let recordedNames: Set<String>

    init() throws {
        var alerts: [Alert] = []
        let alertText = try String(contentsOfFile: ShippedDashboards.alertRules, encoding: .utf8)
        for line in alertText.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- alert: ") {
                alerts.append(Alert(name: String(trimmed.dropFirst("- alert: ".count))))
            } else if !alerts.isEmpty, let colon = trimmed.firstIndex(of: ":"),
                      ["summary", "description", "runbook_url"].contains(String(trimmed[..<colon])) {
                alerts[alerts.count - 1].annotations[String(trimmed[..<colon])] =
                    trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        self.alerts = alerts
        let recordingText = try String(contentsOfFile: ShippedDashboards.recordingRules, encoding: .utf8)
        recordedNames = Set(recordingText.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.hasPrefix("- record: ") ? String(trimmed.dropFirst("- record: ".count)) : nil
        })
    }

    /// For each alert name in the promtool test files: whether some test expects it firing, and
    /// whether some test expects it silent (an `alertname:` entry without `exp_alerts:`).
    static func coverage() throws -> [String: (fires: Bool, silent: Bool)] {
        var coverage: [String: (fires: Bool, silent: Bool)] = [:]
        for file in try ShippedDashboards.ruleTestFiles() {
            let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            for (index, line) in lines.enumerated() where line.hasPrefix("alertname: ") {
                let name = String(line.dropFirst("alertname: ".count))
                // The entry runs to the next `- eval_time:` or the end of the test's alert list.
                var fires = false
                for next in lines[(index + 1)...] {
                    if next.hasPrefix("- eval_time:") || next.hasPrefix("- name:") || next.hasPrefix("promql_expr_test:") { break }
                    if next.hasPrefix("exp_alerts:") { fires = true; break }
                }
                var entry = coverage[name] ?? (false, false)
                if fires { entry.fires = true } else { entry.silent = true }
                coverage[name] = entry
            }
        }
        return coverage
    }
}

extension Tools {
    /// Runs a tool on a thread of its own: a promtool run of many seconds must not hold one of the
    /// few threads Swift concurrency has (two on a 2-core CI machine) that other tests need.
    static func runOnOwnThread(_ tool: String, _ arguments: [String]) async throws -> Tools.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Swift.Result { try Tools.run(tool, arguments) }) }.start()
        }
    }
}
