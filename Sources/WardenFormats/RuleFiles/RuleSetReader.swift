import WardenCore
import Yams

/// The state of one ``RuleSetParser/parse(files:schema:timeZone:)`` call: what has been read so
/// far, the names already taken, and the time zones already resolved.
///
/// Two passes: budgets and quotas of every file first, then policies, because a condition may
/// call `budget_ratio("…")` with the name of a budget defined in a later file.
final class RuleSetReader {
    let schema: AttributionSchema
    private let resolveZone: RuleSetParser.TimeZoneResolver
    /// The currencies the pricing files price in; a money limit in any other could never fill,
    /// because currencies are never converted. `nil` when the caller has no catalog to check against.
    let currencies: Set<String>?
    private var zones: [String: Result<TimeZoneRules, ZoneFailure>] = [:]
    /// Where each name was first defined, per kind, for duplicate errors.
    private var definitions: [RuleKind: [String: RuleSource]] = [:]

    var budgets: [BudgetRule] = []
    var quotas: [QuotaRule] = []
    var policies: [PolicyRule] = []
    /// Every budget name read, including budgets with errors elsewhere, so that a policy naming
    /// a broken budget does not get a second, misleading "unknown budget" error.
    var budgetNames: [String] = []

    enum RuleKind: String {
        case budget, quota, policy
    }

    private struct ZoneFailure: Error {
        var message: String
    }

    init(schema: AttributionSchema, currencies: Set<String>? = nil, resolveZone: @escaping RuleSetParser.TimeZoneResolver) {
        self.schema = schema
        self.currencies = currencies
        self.resolveZone = resolveZone
    }

    func read(_ files: [RuleSetParser.File]) throws(ConfigErrors) -> RuleSet {
        var ruleFiles: [RuleFile] = []
        var pendingPolicies: [(file: RuleFile, items: [YAMLObject])] = []
        for (name, text) in files {
            let file = RuleFile(name: name, text: text)
            ruleFiles.append(file)
            // A document of only `---` or `~` is as empty as an empty file.
            guard let root = file.diagnostics.compose(text), !YAMLObject.isNull(root),
                  let document = YAMLObject(root, path: "", diagnostics: file.diagnostics) else { continue }
            for item in document.objectList("budgets") ?? [] { readBudget(item, in: file) }
            for item in document.objectList("quotas") ?? [] { readQuota(item, in: file) }
            pendingPolicies.append((file, document.objectList("policies") ?? []))
            document.rejectUnknownKeys()
        }
        let variables = ExpressionVariables(schema: schema, budgetNames: budgetNames)
        for (file, items) in pendingPolicies {
            for item in items { readPolicy(item, variables: variables, in: file) }
        }
        let errors = ruleFiles.flatMap(\.diagnostics.errors)
        guard errors.isEmpty else { throw ConfigErrors(errors) }
        let warnings = ruleFiles.flatMap { $0.warnings.sorted { ($0.line, $0.column) < ($1.line, $1.column) } }
        return RuleSet(budgets: budgets, quotas: quotas, policies: policies, files: ruleFiles.map(\.name), warnings: warnings)
    }

    // MARK: Names

    /// Reads `name:`: required, made of letters, digits and `_ . : -`, unique per kind across
    /// all files. Returns nil when missing or malformed; a duplicate is reported but returned, so
    /// the rest of the rule is still checked.
    func ruleName(_ item: YAMLObject, kind: RuleKind, in file: RuleFile) -> String? {
        guard let name = item.string("name", required: true), let node = item.value("name") else { return nil }
        guard Self.isValidName(name) else {
            file.diagnostics.error("\(item.child("name")): \"\(name)\" is not a valid \(kind.rawValue) name (use letters, digits, _ . : - and at most 128 characters)", at: node)
            return nil
        }
        if let first = definitions[kind, default: [:]][name] {
            file.diagnostics.error("\(item.child("name")): duplicate \(kind.rawValue) name \"\(name)\" (first defined at \(first))", at: node)
        } else {
            definitions[kind, default: [:]][name] = file.source(of: node)
        }
        return name
    }

    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.unicodeScalars.count <= 128 else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", ".", ":", "-": true
            default: false
            }
        }
    }

    // MARK: Time zones

    /// Reads `timezone:` (UTC when absent). Each name is resolved once per load.
    func timeZone(_ item: YAMLObject, in file: RuleFile) -> TimeZoneRules? {
        guard let name = item.string("timezone"), let node = item.value("timezone") else { return .utc }
        if name == "UTC" { return .utc }
        let result: Result<TimeZoneRules, ZoneFailure>
        if let known = zones[name] {
            result = known
        } else {
            do {
                result = .success(try resolveZone(name))
            } catch {
                result = .failure(ZoneFailure(message: "\(error)"))
            }
            zones[name] = result
        }
        switch result {
        case .success(let rules):
            return rules
        case .failure(let failure):
            file.diagnostics.error("\(item.child("timezone")): \(failure.message)", at: node)
            return nil
        }
    }
}

/// One rule file being read: its errors and warnings, and its lines, to place either inside a
/// scalar.
final class RuleFile {
    let name: String
    let diagnostics: YAMLDiagnostics
    let lines: [Substring]
    private(set) var warnings: [ConfigWarning] = []

    init(name: String, text: String) {
        self.name = name
        diagnostics = YAMLDiagnostics(file: name)
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func source(of node: Node) -> RuleSource {
        RuleSource(file: name, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    /// Reports `message` at the character `offset` (0-based, in Unicode scalars) of the value of
    /// the scalar `node` (see ``ScalarPosition``).
    func error(_ message: String, at node: Node, offset: Int) {
        let position = ScalarPosition.locate(offset: offset, in: node, lines: lines)
        diagnostics.error(message, line: position.line, column: position.column)
    }

    /// Records a warning at the character `offset` of the value of the scalar `node`.
    func warning(_ message: String, at node: Node, offset: Int) {
        let position = ScalarPosition.locate(offset: offset, in: node, lines: lines)
        warnings.append(ConfigWarning(file: name, line: position.line, column: position.column, message: message))
    }
}
