import WardenCore
import Yams

/// Reading one `budgets:` entry.
extension RuleSetReader {
    func readBudget(_ item: YAMLObject, in file: RuleFile) {
        let name = ruleName(item, kind: .budget, in: file)
        if let name { budgetNames.append(name) }
        let scope = self.scope(item, in: file)
        let per = self.per(item, in: file)
        let period = self.period(item, in: file)
        let timeZone = self.timeZone(item, in: file)
        let limit = self.limit(item, in: file)
        let rollover = self.rollover(item, limit: limit, period: period, in: file)
        let thresholds = self.thresholds(item, in: file)
        item.rejectUnknownKeys()
        guard let name, let period, let timeZone, let limit else { return }
        budgets.append(BudgetRule(name: name, scope: scope, per: per, period: period, timeZone: timeZone, limit: limit,
                                  rollover: rollover, thresholds: thresholds, source: file.source(of: item.node)))
    }

    /// `period: monthly`, `period: {rolling: 7d}` or `period: rolling 7d`, with `week_start:` for
    /// weekly periods.
    private func period(_ item: YAMLObject, in file: RuleFile) -> BudgetPeriod? {
        let path = item.child("period")
        var weekStart: Weekday?
        if let text = item.string("week_start"), let node = item.value("week_start") {
            weekStart = Weekday(name: text)
            if weekStart == nil {
                file.diagnostics.error("\(item.child("week_start")) must be a day such as monday or sunday, not \"\(text)\"", at: node)
            }
        }
        guard let node = item.value("period") else {
            item.reportMissing("period")
            return nil
        }
        let period: BudgetPeriod?
        switch node {
        case .scalar(let scalar) where scalar.string.hasPrefix("rolling "):
            let text = String(scalar.string.dropFirst("rolling ".count))
            let spaces = text.prefix { $0 == " " }.count
            period = duration(String(text.dropFirst(spaces)), at: node, offset: "rolling ".count + spaces, path: path, in: file)
                .map { .rolling($0) }
        case .scalar(let scalar):
            do {
                period = try BudgetPeriod(parsing: scalar.string, weekStart: weekStart ?? .monday)
            } catch {
                file.diagnostics.error("\(path): \(error.message)", at: node)
                period = nil
            }
        case .mapping:
            guard let object = YAMLObject(node, path: path, diagnostics: file.diagnostics) else { return nil }
            period = duration(object, "rolling", required: true, in: file).map { .rolling($0) }
            object.rejectUnknownKeys()
        default:
            file.diagnostics.error("\(path) must be a period name such as monthly, or {rolling: <duration>}", at: node)
            period = nil
        }
        if weekStart != nil, let period, !Self.isWeekly(period), let node = item.value("week_start") {
            file.diagnostics.error("\(item.child("week_start")) only applies to weekly periods, not \(period)", at: node)
        }
        return period
    }

    private static func isWeekly(_ period: BudgetPeriod) -> Bool {
        if case .weekly = period { return true }
        return false
    }

    /// `limit: "500.00 USD"`, `limit: 5_000_000 tokens`, or a list of one term of each kind.
    private func limit(_ item: YAMLObject, in file: RuleFile) -> BudgetLimit? {
        let path = item.child("limit")
        guard let node = item.value("limit") else {
            item.reportMissing("limit")
            return nil
        }
        let terms: [Node]
        switch node {
        case .scalar: terms = [node]
        case .sequence(let sequence) where !sequence.isEmpty: terms = Array(sequence)
        default:
            file.diagnostics.error("\(path) must be an amount such as \"500.00 USD\" or \"2_000_000 tokens\", or a list of one of each", at: node)
            return nil
        }
        var limit: BudgetLimit?
        for term in terms {
            guard case .scalar(let scalar) = term else {
                file.diagnostics.error("\(path) terms must be strings such as \"500.00 USD\"", at: term)
                return nil
            }
            do {
                let parsed = try BudgetLimit.parseTerm(scalar.string)
                if let currency = parsed.money?.currency, let currencies, !currencies.contains(currency) {
                    file.diagnostics.error("\(path): no pricing file prices in \(currency) (they price in \(currencies.sorted().joined(separator: ", "))); "
                        + "spend is counted in the currency it is priced in and never converted, so this limit could never fill", at: term)
                    return nil
                }
                if let earlier = limit { limit = try earlier.merging(parsed) } else { limit = parsed }
            } catch {
                file.diagnostics.error("\(path): \(error.message)", at: term)
                return nil
            }
        }
        return limit
    }

    /// `rollover: {share: 50%, max: "100.00 USD"}`: only for calendar periods (a total or rolling
    /// budget has no "next period"), `max` in the limit's own unit.
    private func rollover(_ item: YAMLObject, limit: BudgetLimit?, period: BudgetPeriod?, in file: RuleFile) -> BudgetRollover? {
        guard let object = item.object("rollover") else { return nil }
        defer { object.rejectUnknownKeys() }
        var rollover = BudgetRollover()
        rollover.share = percent(object, "share", maximum: ThresholdPercent(millionths: 100_000_000), in: file)
        if let text = object.string("max"), let node = object.value("max") {
            do {
                let max = try BudgetLimit.parseTerm(text)
                if let limit, !Self.unit(of: max, fits: limit) {
                    file.diagnostics.error("\(object.child("max")) must be in the limit's unit (\(Self.units(of: limit))), not \"\(text)\"", at: node)
                }
                rollover.maxMoney = max.money?.amount
                rollover.maxTokens = max.tokens
            } catch {
                file.diagnostics.error("\(object.child("max")): \(error.message)", at: node)
            }
        }
        if object.value("share") == nil && object.value("max") == nil {
            file.diagnostics.error("\(object.path) needs share, max or both", at: object.node)
        }
        if let period, !period.isCalendarAligned {
            file.diagnostics.error("\(object.path): a \(period) budget has no next period to carry unspent budget into (rollover needs a calendar period)", at: object.node)
        }
        return rollover
    }

    private static func unit(of max: BudgetLimit, fits limit: BudgetLimit) -> Bool {
        if let money = max.money { return money.currency == limit.money?.currency }
        return limit.tokens != nil
    }

    private static func units(of limit: BudgetLimit) -> String {
        [limit.money?.currency, limit.tokens.map { _ in "tokens" }].compactMap { $0 }.joined(separator: " or ")
    }

    /// The ladder: `- {at: 80%, action: warn}`, at most one step per percentage.
    private func thresholds(_ item: YAMLObject, in file: RuleFile) -> [ThresholdStep] {
        var steps: [ThresholdStep] = []
        var seen: [ThresholdPercent: Node] = [:]
        for object in item.objectList("thresholds") ?? [] {
            defer { object.rejectUnknownKeys() }
            let at = percent(object, "at", required: true, in: file)
            let action = object.choice("action", as: StepAction.self, required: true)
            let grace = duration(object, "grace", in: file)
            let message = object.string("message")
            var rate: StepRate?
            if let text = object.string("rate"), let node = object.value("rate") {
                do {
                    rate = try StepRate(parsing: text)
                } catch {
                    file.diagnostics.error("\(object.child("rate")): \(error.message)", at: node)
                }
                if let action, action != .throttle {
                    file.diagnostics.error("\(object.child("rate")) only applies to throttle steps, not to a \(action) step", at: node)
                }
            }
            if grace != nil, let action, action < .throttle, let node = object.value("grace") {
                file.diagnostics.error("\(object.child("grace")) only applies to throttle and deny steps (a \(action) step never enforces anything)", at: node)
            }
            if let at, let node = object.value("at") {
                if let first = seen[at] {
                    file.diagnostics.error("\(object.child("at")): two steps at \(at) (the other is at line \(first.mark?.line ?? 0))", at: node)
                } else {
                    seen[at] = node
                }
            }
            if let at, let action {
                steps.append(ThresholdStep(at: at, action: action, grace: grace, message: message, rate: rate))
            }
        }
        return steps
    }
}
