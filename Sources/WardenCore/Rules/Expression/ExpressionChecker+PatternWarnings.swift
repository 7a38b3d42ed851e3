/// Warnings for `=~` and `!~` patterns whose meaning depends on whether they are matched against
/// the whole value (what conditions do, as PromQL does) or searched for anywhere in it (what RE2,
/// CEL and most regex tools do by default): `model =~ "o1"` denies `o1` but not `o1-pro`.
extension ExpressionChecker {
    /// One warning per such pattern, at its opening quote, in text order. Patterns that do not
    /// compile are left to the checker's errors.
    static func patternWarnings(in syntax: ExpressionSyntax) -> [ExpressionWarning] {
        var warnings: [ExpressionWarning] = []
        collect(syntax, into: &warnings)
        return warnings
    }

    private static func collect(_ syntax: ExpressionSyntax, into warnings: inout [ExpressionWarning]) {
        switch syntax.node {
        case .string, .number, .boolean, .variable:
            break
        case .list(let elements), .call(_, let elements):
            for element in elements { collect(element, into: &warnings) }
        case .not(let operand):
            collect(operand, into: &warnings)
        case .binary(let op, let left, let right):
            collect(left, into: &warnings)
            collect(right, into: &warnings)
            guard op == .matches || op == .notMatches, case .string(let source) = right.node,
                  let syntax = try? PatternParser.parse(source), !syntax.meansTheSameWhenSearched else { return }
            warnings.append(ExpressionWarning(column: right.column, message: message(for: source, syntax)))
        }
    }

    /// `"o1" is matched against the whole value (it means "^o1$"); to find it anywhere in the
    /// value, write ".*o1.*"`, with the patterns as they are written in a condition.
    private static func message(for source: String, _ syntax: PatternSyntax) -> String {
        let items = syntax.items
        let isAlternation = if case .alternation = syntax { true } else { false }
        let grouped = isAlternation ? "(\(source))" : source
        let whole: String
        let search: String
        if items.isEmpty {
            (whole, search) = ("^$", ".*")
        } else if !isAlternation, let first = items.first, first == .start || first == .anything {
            (whole, search) = (source + "$", source + ".*")
        } else if !isAlternation, let last = items.last, last == .end || last == .anything {
            (whole, search) = ("^" + source, ".*" + source)
        } else {
            (whole, search) = ("^\(grouped)$", ".*\(grouped).*")
        }
        return "\(quoted(source)) is matched against the whole value (it means \(quoted(whole))); "
            + "to find it anywhere in the value, write \(quoted(search))"
    }

    private static func quoted(_ pattern: String) -> String {
        var text = ""
        ExpressionSyntax.renderString(pattern, into: &text)
        return text
    }
}
