/// The type-checked, evaluable form of a condition: one enum per value type, so evaluation
/// never boxes values or checks types, and numbers are plain `Int128` attos.
///
/// Only `lower()` can allocate during evaluation (for strings longer than 15 UTF-8 bytes);
/// everything else compares in place.
indirect enum CompiledCondition: Sendable {
    case constant(Bool)
    case not(CompiledCondition)
    case and(CompiledCondition, CompiledCondition)
    case or(CompiledCondition, CompiledCondition)
    case booleanEquals(CompiledCondition, CompiledCondition)
    case hasLabel(String)
    /// False when either side is absent.
    case stringEquals(StringTerm, StringTerm)
    case stringIn(StringTerm, [String])
    case numberComparison(NumberTerm, NumberComparison, NumberTerm)
    case numberIn(NumberTerm, [Int128])
    /// False when the subject is absent.
    case matches(StringTerm, AnchoredPattern)
    case startsWith(StringTerm, StringTerm)

    func evaluate(_ context: borrowing ExpressionContext) -> Bool {
        switch self {
        case .constant(let value):
            return value
        case .not(let operand):
            return !operand.evaluate(context)
        case .and(let left, let right):
            return left.evaluate(context) && right.evaluate(context)
        case .or(let left, let right):
            return left.evaluate(context) || right.evaluate(context)
        case .booleanEquals(let left, let right):
            return left.evaluate(context) == right.evaluate(context)
        case .hasLabel(let key):
            return context.attribution.labels.contains { $0.key == key }
        case .stringEquals(let left, let right):
            guard let leftValue = left.evaluate(context), let rightValue = right.evaluate(context) else { return false }
            return leftValue == rightValue
        case .stringIn(let subject, let values):
            guard let value = subject.evaluate(context) else { return false }
            return values.contains(value)
        case .numberComparison(let left, let comparison, let right):
            let leftValue = left.evaluate(context)
            let rightValue = right.evaluate(context)
            switch comparison {
            case .equal: return leftValue == rightValue
            case .less: return leftValue < rightValue
            case .lessOrEqual: return leftValue <= rightValue
            case .greater: return leftValue > rightValue
            case .greaterOrEqual: return leftValue >= rightValue
            }
        case .numberIn(let subject, let values):
            return values.contains(subject.evaluate(context))
        case .matches(let subject, let pattern):
            guard let value = subject.evaluate(context) else { return false }
            return pattern.matches(value)
        case .startsWith(let subject, let prefix):
            guard let value = subject.evaluate(context), let prefixValue = prefix.evaluate(context) else { return false }
            return value.unicodeScalars.starts(with: prefixValue.unicodeScalars)
        }
    }
}

extension CompiledCondition {
    /// The budgets whose ratio the condition reads (`budget_ratio("…")`), by position, so a
    /// check computes only those ratios.
    var budgetRatioIndices: [Int] {
        switch self {
        case .constant, .hasLabel, .stringEquals, .stringIn, .matches, .startsWith:
            return []
        case .not(let operand):
            return operand.budgetRatioIndices
        case .and(let left, let right), .or(let left, let right), .booleanEquals(let left, let right):
            return left.budgetRatioIndices + right.budgetRatioIndices
        case .numberComparison(let left, _, let right):
            return left.budgetRatioIndices + right.budgetRatioIndices
        case .numberIn(let subject, _):
            return subject.budgetRatioIndices
        }
    }
}

enum NumberComparison: Sendable {
    case equal, less, lessOrEqual, greater, greaterOrEqual
}

/// A string-valued term; `nil` when it reads an absent attribution label.
indirect enum StringTerm: Sendable {
    case constant(String)
    case provider
    case model
    case weekday
    case label(String)
    case lower(StringTerm)

    func evaluate(_ context: borrowing ExpressionContext) -> String? {
        switch self {
        case .constant(let value): return value
        case .provider: return context.provider
        case .model: return context.model
        case .weekday: return context.weekdayName
        case .label(let key): return context.attribution[key]
        case .lower(let operand): return operand.evaluate(context)?.lowercased()
        }
    }
}

/// A number-valued term, in attos (10⁻¹⁸): token counts and clock fields are scaled up, so
/// every comparison is between exact decimals.
enum NumberTerm: Sendable {
    case constant(Int128)
    case estimatedInputTokens, maxOutputTokens, estimatedTokens, estimatedCost
    case hour, minute
    case budgetRatio(Int)

    var budgetRatioIndices: [Int] {
        if case .budgetRatio(let index) = self { return [index] }
        return []
    }

    func evaluate(_ context: borrowing ExpressionContext) -> Int128 {
        switch self {
        case .constant(let value): return value
        case .estimatedInputTokens: return Int128(context.estimatedInputTokens) * Money.attosPerUnit
        case .maxOutputTokens: return Int128(context.maxOutputTokens) * Money.attosPerUnit
        case .estimatedTokens:
            return (Int128(context.estimatedInputTokens) + Int128(context.maxOutputTokens)) * Money.attosPerUnit
        case .estimatedCost: return context.estimatedCost.attos
        case .hour: return Int128(context.hour) * Money.attosPerUnit
        case .minute: return Int128(context.minute) * Money.attosPerUnit
        case .budgetRatio(let index):
            return index < context.budgetRatios.count ? context.budgetRatios[index].attos : 0
        }
    }
}
