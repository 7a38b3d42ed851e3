import WardenCore
import Yams

/// Reading one `policies:` entry (after every file's budgets, so `budget_ratio` may name any).
extension RuleSetReader {
    func readPolicy(_ item: YAMLObject, variables: ExpressionVariables, in file: RuleFile) {
        let name = ruleName(item, kind: .policy, in: file)
        let condition = self.condition(item, variables: variables, in: file)
        let action = item.choice("action", as: PolicyAction.self, required: true)
        let message = item.string("message")
        let timeZone = self.timeZone(item, in: file)
        item.rejectUnknownKeys()
        guard let name, let condition, let action, let timeZone else { return }
        policies.append(PolicyRule(name: name, condition: condition, action: action, message: message,
                                   timeZone: timeZone, source: file.source(of: item.node)))
    }

    /// `when:`, compiled; an error or warning points at its column inside the scalar.
    private func condition(_ item: YAMLObject, variables: ExpressionVariables, in file: RuleFile) -> CompiledExpression? {
        guard let text = item.string("when", required: true), let node = item.value("when") else { return nil }
        do {
            let compiled = try CompiledExpression(parsing: text, variables: variables)
            for warning in compiled.warnings {
                file.warning("\(item.child("when")): \(warning.message)", at: node, offset: max(warning.column - 1, 0))
            }
            return compiled
        } catch {
            file.error("\(item.child("when")): \(error.message)", at: node, offset: max(error.column - 1, 0))
            return nil
        }
    }
}
