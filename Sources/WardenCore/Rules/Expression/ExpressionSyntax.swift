/// The syntax tree of a `when:` condition, as parsed and before type checking.
///
/// Every node carries the column (1-based, in Unicode scalars) of the token that defines it:
/// the operator for `!` and binary operators, the name for variables and calls, the opening
/// quote, digit or bracket for literals and lists. Parentheses leave no node; ``description``
/// puts back only those the precedence rules need. See ``CompiledExpression`` for the language.
///
/// Not called `Expression`: Foundation (`FoundationEssentials`) exports a generic `Expression`,
/// and files importing both modules would have to qualify every use.
public struct ExpressionSyntax: Sendable, Hashable, CustomStringConvertible {
    public indirect enum Node: Sendable, Hashable {
        case string(String)
        case number(Money)
        case boolean(Bool)
        /// A variable name, possibly dotted (`attribution.team`).
        case variable(String)
        case list([ExpressionSyntax])
        case call(function: String, arguments: [ExpressionSyntax])
        case not(ExpressionSyntax)
        case binary(BinaryOperator, ExpressionSyntax, ExpressionSyntax)
    }

    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case or = "||"
        case and = "&&"
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case matches = "=~"
        case notMatches = "!~"
        case `in` = "in"

        /// Binding strength: `||` 1, `&&` 2, comparisons 3 (`!` is 4, atoms 5).
        var precedence: Int {
            switch self {
            case .or: return 1
            case .and: return 2
            default: return 3
            }
        }
    }

    public var node: Node
    /// 1-based column, in Unicode scalars, of the token that defines this node.
    public var column: Int

    public init(_ node: Node, column: Int) {
        self.node = node
        self.column = column
    }

    /// Parses without type checking. ``CompiledExpression/init(parsing:variables:)`` parses and
    /// checks; this is for tools that only need the tree (formatters, the round-trip tests).
    public init(parsing text: String) throws(ExpressionError) {
        self = try ExpressionParser.parse(text)
    }

    /// The same tree with every column set to 0: two trees that differ only in layout compare
    /// equal after this.
    public var withoutColumns: ExpressionSyntax {
        let stripped: Node
        switch node {
        case .string, .number, .boolean, .variable: stripped = node
        case .list(let elements): stripped = .list(elements.map(\.withoutColumns))
        case .call(let function, let arguments): stripped = .call(function: function, arguments: arguments.map(\.withoutColumns))
        case .not(let operand): stripped = .not(operand.withoutColumns)
        case .binary(let op, let left, let right): stripped = .binary(op, left.withoutColumns, right.withoutColumns)
        }
        return ExpressionSyntax(stripped, column: 0)
    }
}
