/// Type-checks a parsed ``ExpressionSyntax`` against the known ``ExpressionVariables`` and lowers it
/// to a ``CompiledCondition``. Every variable has a known type, so every type error is found
/// here, at load time, with the column of the operator or operand concerned.
struct ExpressionChecker {
    let variables: ExpressionVariables
    /// The condition's text, to place an error inside a string literal (a regex's offending
    /// character).
    let source: String

    /// A checked subtree, by type.
    private enum Typed {
        case boolean(CompiledCondition)
        /// `isWeekday`: the bare `weekday` variable, whose literals are checked against day names.
        case string(StringTerm, isWeekday: Bool)
        case number(NumberTerm)
        case list([ExpressionSyntax])

        var typeName: String {
            switch self {
            case .boolean: return "true/false"
            case .string: return "a string"
            case .number: return "a number"
            case .list: return "a list"
            }
        }
    }

    func compile(_ expression: ExpressionSyntax) throws(ExpressionError) -> CompiledCondition {
        switch try check(expression) {
        case .boolean(let condition): return condition
        case let other:
            throw ExpressionError(
                column: expression.column,
                message: "a condition must be true or false, but this is \(other.typeName)")
        }
    }

    private func error(_ expression: ExpressionSyntax, _ message: String) -> ExpressionError {
        ExpressionError(column: expression.column, message: message)
    }

    private func boolean(_ expression: ExpressionSyntax, for role: String) throws(ExpressionError) -> CompiledCondition {
        let typed = try check(expression)
        guard case .boolean(let condition) = typed else {
            throw error(expression, "\(role) needs true/false, but this is \(typed.typeName)")
        }
        return condition
    }

    private func check(_ expression: ExpressionSyntax) throws(ExpressionError) -> Typed {
        switch expression.node {
        case .string(let value): return .string(.constant(value), isWeekday: false)
        case .number(let value): return .number(.constant(value.attos))
        case .boolean(let value): return .boolean(.constant(value))
        case .list(let elements): return .list(elements)
        case .variable(let name): return try variable(name, at: expression)
        case .call(let function, let arguments): return try call(function, arguments, at: expression)
        case .not(let operand):
            let typed = try check(operand)
            guard case .boolean(let condition) = typed else {
                let hint = if case .string = typed, case .variable(let name) = operand.node { " (to test that a label is absent, write !has(\(name)))" } else { "" }
                throw error(expression, "'!' needs true/false, but its operand is \(typed.typeName)\(hint)")
            }
            return .boolean(.not(condition))
        case .binary(let op, let left, let right):
            return .boolean(try binary(op, left, right, at: expression))
        }
    }

    private func variable(_ name: String, at expression: ExpressionSyntax) throws(ExpressionError) -> Typed {
        guard let resolved = variables.resolve(name) else {
            if ExpressionVariables.functions.contains(name) {
                throw error(expression, "\"\(name)\" is a function: call it as \(name)(…)")
            }
            var message = "unknown variable \"\(name)\""
            if let suggestion = closestName(to: name, among: variables.allNames) {
                message += " (did you mean \"\(suggestion)\"?)"
            }
            throw error(expression, message)
        }
        switch resolved {
        case .label(let key): return .string(.label(key), isWeekday: false)
        case .builtin(let builtin):
            switch builtin {
            case .provider: return .string(.provider, isWeekday: false)
            case .model: return .string(.model, isWeekday: false)
            case .weekday: return .string(.weekday, isWeekday: true)
            case .estimatedInputTokens: return .number(.estimatedInputTokens)
            case .maxOutputTokens: return .number(.maxOutputTokens)
            case .estimatedTokens: return .number(.estimatedTokens)
            case .estimatedCost: return .number(.estimatedCost)
            case .hour: return .number(.hour)
            case .minute: return .number(.minute)
            }
        }
    }

    private func call(_ function: String, _ arguments: [ExpressionSyntax], at expression: ExpressionSyntax) throws(ExpressionError) -> Typed {
        func expectArguments(_ count: Int) throws(ExpressionError) {
            guard arguments.count == count else {
                throw error(expression, "\(function)() takes \(count) argument\(count == 1 ? "" : "s"), got \(arguments.count)")
            }
        }
        switch function {
        case "has":
            try expectArguments(1)
            guard case .variable(let name) = arguments[0].node else {
                throw error(arguments[0], "has() takes a variable name, such as has(team)")
            }
            guard case .string(let term, _) = try variable(name, at: arguments[0]) else {
                return .boolean(.constant(true))  // numbers are always present
            }
            if case .label(let key) = term { return .boolean(.hasLabel(key)) }
            return .boolean(.constant(true))  // provider, model and weekday are always present
        case "budget_ratio":
            try expectArguments(1)
            guard case .string(let name) = arguments[0].node else {
                throw error(arguments[0], "budget_ratio() takes a budget name in quotes, such as budget_ratio(\"team-monthly\")")
            }
            guard let index = variables.budgetNames.firstIndex(of: name) else {
                var message = "unknown budget \"\(name)\""
                if variables.budgetNames.isEmpty {
                    message += " (no budgets are configured)"
                } else if let suggestion = closestName(to: name, among: variables.budgetNames) {
                    message += " (did you mean \"\(suggestion)\"?)"
                }
                throw error(arguments[0], message)
            }
            return .number(.budgetRatio(index))
        case "lower":
            try expectArguments(1)
            return .string(.lower(try string(arguments[0], for: "lower()")), isWeekday: false)
        case "starts_with":
            try expectArguments(2)
            return .boolean(.startsWith(try string(arguments[0], for: "starts_with()"), try string(arguments[1], for: "starts_with()")))
        default:
            var message = "unknown function \"\(function)\""
            if let suggestion = closestName(to: function, among: ExpressionVariables.functions) {
                message += " (did you mean \"\(suggestion)\"?)"
            } else {
                message += " (functions are " + ExpressionVariables.functions.joined(separator: ", ") + ")"
            }
            throw error(expression, message)
        }
    }

    private func string(_ expression: ExpressionSyntax, for role: String) throws(ExpressionError) -> StringTerm {
        let typed = try check(expression)
        guard case .string(let term, _) = typed else {
            throw error(expression, "\(role) needs a string, but this is \(typed.typeName)")
        }
        return term
    }

    /// A string literal compared with `weekday` must name a day, so `weekday == "Sat"` fails
    /// at load time instead of never matching.
    private func checkWeekdayLiteral(_ expression: ExpressionSyntax) throws(ExpressionError) {
        if case .string(let value) = expression.node, !ExpressionContext.weekdayNames.contains(value) {
            throw error(expression, "\"\(value)\" is not a weekday: use monday, tuesday, wednesday, thursday, friday, saturday or sunday")
        }
    }

    private func binary(
        _ op: ExpressionSyntax.BinaryOperator, _ left: ExpressionSyntax, _ right: ExpressionSyntax, at expression: ExpressionSyntax
    ) throws(ExpressionError) -> CompiledCondition {
        switch op {
        case .and:
            return .and(try boolean(left, for: "'&&'"), try boolean(right, for: "'&&'"))
        case .or:
            return .or(try boolean(left, for: "'||'"), try boolean(right, for: "'||'"))
        case .equal, .notEqual:
            let equal = try equality(left, right, at: expression)
            return op == .equal ? equal : .not(equal)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let leftTyped = try check(left)
            let rightTyped = try check(right)
            guard case .number(let leftTerm) = leftTyped, case .number(let rightTerm) = rightTyped else {
                let offender = if case .number = leftTyped { rightTyped } else { leftTyped }
                throw error(expression, "'\(op.rawValue)' compares numbers, but one side is \(offender.typeName)")
            }
            let comparison: NumberComparison = switch op {
            case .less: .less
            case .lessOrEqual: .lessOrEqual
            case .greater: .greater
            default: .greaterOrEqual
            }
            return .numberComparison(leftTerm, comparison, rightTerm)
        case .matches, .notMatches:
            let subject = try check(left)
            guard case .string(let term, _) = subject else {
                throw error(expression, "'\(op.rawValue)' matches strings, but its left side is \(subject.typeName)")
            }
            guard case .string(let pattern) = right.node else {
                throw error(right, "the right side of '\(op.rawValue)' must be a regular expression in quotes")
            }
            let compiled: AnchoredPattern
            do throws(PatternError) {
                compiled = try AnchoredPattern(pattern)
            } catch {
                let column = ExpressionLexer.column(ofValueOffset: error.offset, inStringAt: right.column, of: source)
                throw ExpressionError(column: column, message: "invalid regular expression: \(error.message)")
            }
            return op == .matches ? .matches(term, compiled) : .not(.matches(term, compiled))
        case .in:
            let subject = try check(left)
            guard case .list(let elements) = try check(right) else {
                throw error(right, "the right side of 'in' must be a list, such as [\"a\", \"b\"]")
            }
            switch subject {
            case .string(let term, let isWeekday):
                var values: [String] = []
                for element in elements {
                    guard case .string(let value) = element.node else {
                        throw error(element, "a list after 'in' holds literals of the left side's type (a string)")
                    }
                    if isWeekday { try checkWeekdayLiteral(element) }
                    values.append(value)
                }
                return .stringIn(term, values)
            case .number(let term):
                var values: [Int128] = []
                for element in elements {
                    guard case .number(let value) = element.node else {
                        throw error(element, "a list after 'in' holds literals of the left side's type (a number)")
                    }
                    values.append(value.attos)
                }
                return .numberIn(term, values)
            default:
                throw error(left, "'in' needs a string or a number on its left, but this is \(subject.typeName)")
            }
        }
    }

    private func equality(_ left: ExpressionSyntax, _ right: ExpressionSyntax, at expression: ExpressionSyntax) throws(ExpressionError) -> CompiledCondition {
        let leftTyped = try check(left)
        let rightTyped = try check(right)
        switch (leftTyped, rightTyped) {
        case (.string(let leftTerm, let leftIsWeekday), .string(let rightTerm, let rightIsWeekday)):
            if leftIsWeekday { try checkWeekdayLiteral(right) }
            if rightIsWeekday { try checkWeekdayLiteral(left) }
            return .stringEquals(leftTerm, rightTerm)
        case (.number(let leftTerm), .number(let rightTerm)):
            return .numberComparison(leftTerm, .equal, rightTerm)
        case (.boolean(let leftCondition), .boolean(let rightCondition)):
            return .booleanEquals(leftCondition, rightCondition)
        default:
            let leftName = leftTyped.typeName
            let rightName = rightTyped.typeName
            if leftName == rightName {  // two lists
                throw error(expression, "cannot compare lists: use 'in' to test membership")
            }
            throw error(expression, "cannot compare \(leftName) with \(rightName)")
        }
    }
}
