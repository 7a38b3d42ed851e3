import WardenCore
import Yams

/// Reads a rule test file (format: ``RuleTestFile``) strictly: an unknown key, a bad time or a
/// body the HTTP API would refuse is an error at its `file:line:col`, and every error is reported.
///
/// Two steps, because the bodies are validated against the deployment's attribution labels,
/// which live beside the rule files the test names: ``ruleFiles()`` first, then
/// ``parse(schema:)``.
public struct RuleTestFileParser {
    public let file: String
    public let text: String

    public init(file: String, text: String) {
        self.file = file
        self.text = text
    }

    /// The `rule_files` list, as written.
    public func ruleFiles() throws(ConfigErrors) -> [String] {
        let diagnostics = YAMLDiagnostics(file: file)
        guard let root = diagnostics.compose(text), let document = YAMLObject(root, path: "", diagnostics: diagnostics) else {
            throw ConfigErrors(diagnostics.errors.isEmpty ? [ConfigError(file: file, line: 0, column: 0, message: "empty test file")] : diagnostics.errors)
        }
        let files = document.stringList("rule_files") ?? []
        if document.value("rule_files") == nil {
            document.reportMissing("rule_files")
        } else if files.isEmpty, diagnostics.errors.isEmpty {
            diagnostics.error("rule_files must name at least one rule file", at: document.value("rule_files"))
        }
        guard diagnostics.errors.isEmpty else { throw ConfigErrors(diagnostics.errors) }
        return files
    }

    /// The whole file, with usage and check bodies validated against `schema`.
    public func parse(schema: AttributionSchema) throws(ConfigErrors) -> RuleTestFile {
        let reader = RuleTestReader(diagnostics: YAMLDiagnostics(file: file), schema: schema)
        guard let root = reader.diagnostics.compose(text),
              let document = YAMLObject(root, path: "", diagnostics: reader.diagnostics) else {
            throw ConfigErrors(reader.diagnostics.errors.isEmpty ? [ConfigError(file: file, line: 0, column: 0, message: "empty test file")] : reader.diagnostics.errors)
        }
        let ruleFiles = document.stringList("rule_files") ?? []
        var tests: [RuleTestCase] = []
        if let items = document.objectList("tests") {
            var names: [String: Int] = [:]
            for item in items {
                guard let test = reader.test(item) else { continue }
                if let first = names[test.name] {
                    reader.diagnostics.error("\(item.child("name")): duplicate test name \"\(test.name)\" (first at line \(first))", at: item.value("name"))
                }
                names[test.name] = names[test.name] ?? test.line
                tests.append(test)
            }
            if items.isEmpty { reader.diagnostics.error("tests must list at least one test", at: document.value("tests")) }
        } else {
            document.reportMissing("tests")
        }
        document.rejectUnknownKeys()
        guard reader.diagnostics.errors.isEmpty else { throw ConfigErrors(reader.diagnostics.errors) }
        return RuleTestFile(file: file, ruleFiles: ruleFiles, tests: tests)
    }
}

/// One ``RuleTestFileParser/parse(schema:)`` call: the errors so far and the decoders.
private final class RuleTestReader {
    let diagnostics: YAMLDiagnostics
    let usageDecoder: UsageEventDecoder
    let checkDecoder: CheckRequestDecoder

    init(diagnostics: YAMLDiagnostics, schema: AttributionSchema) {
        self.diagnostics = diagnostics
        usageDecoder = UsageEventDecoder(schema: schema, maxEventsPerBody: 1)
        checkDecoder = CheckRequestDecoder(schema: schema)
    }

    func test(_ item: YAMLObject) -> RuleTestCase? {
        defer { item.rejectUnknownKeys() }
        let name = item.string("name", required: true)
        var start: Timestamp?
        if let text = item.string("start", required: true), let node = item.value("start") {
            do { start = try Timestamp(rfc3339: text) } catch {
                diagnostics.error("\(item.child("start")): \(error)", at: node)
            }
        }
        var steps: [RuleTestStep] = []
        if let items = item.objectList("steps") {
            if items.isEmpty { diagnostics.error("\(item.child("steps")) must list at least one step", at: item.value("steps")) }
            var clock = start
            for (index, stepItem) in items.enumerated() {
                if let step = self.step(stepItem, index: index, previous: clock) {
                    steps.append(step)
                    clock = step.time
                } else {
                    clock = nil  // later offsets cannot be placed; their other errors are still found
                }
            }
        } else {
            item.reportMissing("steps")
        }
        guard let name, let start, steps.count == (item.value("steps")?.sequence?.count ?? -1) else { return nil }
        return RuleTestCase(name: name, line: item.node.mark?.line ?? 0, start: start, steps: steps)
    }

    /// One step; `previous` is the time offsets count from (nil when it is unknown because of an
    /// earlier error).
    func step(_ item: YAMLObject, index: Int, previous: Timestamp?) -> RuleTestStep? {
        defer { item.rejectUnknownKeys() }
        var failed = false
        let time = self.time(item, previous: previous)
        if time == nil { failed = true }

        let actions = ["usage", "check", "release"].filter { item.value($0) != nil }
        if actions.count > 1 {
            diagnostics.error("\(item.path): a step does one thing; it has \(actions.joined(separator: " and "))", at: item.value(actions[1]))
            failed = true
        }
        var action = RuleTestStep.Action.advance
        if let node = item.value("usage") {
            if let event = usage(node, path: item.child("usage"), index: index) { action = .usage(event) } else { failed = true }
        } else if let node = item.value("check") {
            if let decoded = check(node, path: item.child("check")) {
                action = .check(decoded.request, explicitCost: decoded.hasExplicitCost)
            } else { failed = true }
        } else if let id = item.string("release") {
            action = .release(id)
        }

        var expect: ExpectedDecision?
        if let object = item.object("expect") {
            if case .check = action {} else if item.value("check") == nil {
                diagnostics.error("\(item.child("expect")) needs a check in the same step", at: object.node)
            }
            expect = expectedDecision(object)
        }
        var expectAudit: [ExpectedAuditRow]?
        if item.value("expect_audit") != nil {
            expectAudit = (item.objectList("expect_audit") ?? []).map(expectedAuditRow)
        }
        guard !failed, let time else { return nil }
        return RuleTestStep(index: index, line: item.node.mark?.line ?? 0, time: time, action: action,
                            expect: expect, expectAudit: expectAudit)
    }

    /// `at: +1h` (after `previous`) or `at: 2026-03-01T10:00:00Z`; never before `previous`.
    private func time(_ item: YAMLObject, previous: Timestamp?) -> Timestamp? {
        guard let text = item.string("at", required: true), let node = item.value("at") else { return nil }
        let time: Timestamp
        if text.hasPrefix("+") {
            let duration: RuleDuration
            do { duration = try RuleDuration(parsing: String(text.dropFirst())) } catch {
                diagnostics.error("\(item.child("at")): \(error) (write +30s, +1h, +1d, or an RFC 3339 time)", at: node)
                return nil
            }
            guard let previous else { return nil }
            let (sum, overflow) = previous.nanosecondsSinceEpoch.addingReportingOverflow(duration.nanoseconds)
            guard !overflow else {
                diagnostics.error("\(item.child("at")): time out of range", at: node)
                return nil
            }
            time = Timestamp(nanosecondsSinceEpoch: sum)
        } else {
            do { time = try Timestamp(rfc3339: text) } catch {
                diagnostics.error("\(item.child("at")): \(error) (write +30s, +1h, +1d, or an RFC 3339 time)", at: node)
                return nil
            }
            if let previous, time < previous {
                diagnostics.error("\(item.child("at")): \(time) is before the previous step (\(previous)); steps run forward in time", at: node)
                return nil
            }
        }
        return time
    }

    // MARK: bodies

    private func usage(_ node: Node, path: String, index: Int) -> UsageEvent? {
        guard node.mapping != nil else {
            diagnostics.error("\(path) must be a mapping: a POST /v1/usage event", at: node)
            return nil
        }
        let body = YAMLRequestBody.json(node, defaults: [("id", "step-\(index)")])
        do {
            return try usageDecoder.decode(body, format: .json).first
        } catch .invalid(let errors) {
            for error in errors {
                diagnostics.error(error.field.isEmpty ? "\(path): \(error.message)" : "\(path).\(error.field): \(error.message)",
                                  at: YAMLRequestBody.node(for: error.field, in: node))
            }
        } catch {
            diagnostics.error("\(path): \(error)", at: node)
        }
        return nil
    }

    private func check(_ node: Node, path: String) -> CheckRequestDecoder.Decoded? {
        guard node.mapping != nil else {
            diagnostics.error("\(path) must be a mapping: a POST /v1/check body", at: node)
            return nil
        }
        switch checkDecoder.decode(YAMLRequestBody.json(node)) {
        case .success(let decoded):
            return decoded
        case .failure(.invalid(let errors)):
            for error in errors {
                diagnostics.error(error.field.isEmpty ? "\(path): \(error.message)" : "\(path).\(error.field): \(error.message)",
                                  at: YAMLRequestBody.node(for: error.field, in: node))
            }
        case .failure(.malformed(let error)):
            diagnostics.error("\(path): \(error)", at: node)
        }
        return nil
    }

    // MARK: expectations

    private func expectedDecision(_ object: YAMLObject) -> ExpectedDecision {
        defer { object.rejectUnknownKeys() }
        var expected = ExpectedDecision()
        expected.decision = object.choice("decision", as: Decision.self)
        expected.reservation = object.bool("reservation")
        for item in object.objectList("reasons") ?? [] {
            defer { item.rejectUnknownKeys() }
            var reason = ExpectedReason()
            reason.rule = item.string("rule")
            reason.kind = item.choice("kind", as: RuleKind.self)
            reason.decision = item.choice("decision", as: Decision.self)
            reason.scope = labels(item)
            reason.remaining = item.string("remaining")
            reason.message = item.string("message")
            expected.reasons.append(reason)
        }
        return expected
    }

    static let auditActions = [
        AuditAction.thresholdCrossedUp, AuditAction.thresholdCrossedDown, AuditAction.deny, AuditAction.throttleStarted,
        AuditAction.throttleEnded, AuditAction.policyViolation, AuditAction.reservationExpired,
        AuditAction.rulesReloaded, AuditAction.rulesReloadFailed,
    ]
    /// Decisions and ladder steps an audit row can carry.
    static let auditDecisions = ["allow", "warn", "notify", "throttle", "require_approval", "deny"]

    private func expectedAuditRow(_ item: YAMLObject) -> ExpectedAuditRow {
        defer { item.rejectUnknownKeys() }
        var row = ExpectedAuditRow()
        row.action = item.choice("action", among: Self.auditActions)
        row.rule = item.string("rule")
        row.kind = item.choice("kind", as: AuditKind.self)
        row.decision = item.choice("decision", among: Self.auditDecisions)
        row.scope = labels(item)
        row.threshold = item.string("threshold")
        if let threshold = row.threshold {
            do { _ = try ThresholdPercent(parsing: threshold) } catch {
                diagnostics.error("\(item.child("threshold")): \(error)", at: item.value("threshold"))
            }
        }
        row.observed = amount(item, "observed")
        row.limit = amount(item, "limit")
        return row
    }

    /// `observed: 400.12` or `"400.12"`: exact decimal text (two-unit budgets: `"12.5 3000"`).
    private func amount(_ item: YAMLObject, _ key: String) -> String? {
        item.string(key)
    }

    /// `scope: {team: search}`.
    private func labels(_ item: YAMLObject) -> [AuditLabel] {
        guard let node = item.value("scope") else { return [] }
        guard let mapping = node.mapping else {
            diagnostics.error("\(item.child("scope")) must be a mapping of labels such as {team: search}", at: node)
            return []
        }
        var labels: [AuditLabel] = []
        for (key, value) in mapping {
            guard case .scalar(let keyScalar) = key, case .scalar(let valueScalar) = value else {
                diagnostics.error("\(item.child("scope")): labels and values must be strings", at: key)
                continue
            }
            labels.append(AuditLabel(key: keyScalar.string, value: valueScalar.string))
        }
        return labels
    }
}
