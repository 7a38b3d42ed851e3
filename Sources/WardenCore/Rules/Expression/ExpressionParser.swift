/// Recursive-descent parser with precedence climbing for the binary operators.
///
/// Both the parser's recursion and the depth of the tree it builds are limited to
/// ``maximumDepth``, so hostile input gets an error rather than a stack overflow here or in
/// the printer, checker and evaluator, which all recurse over the tree.
struct ExpressionParser {
    static let maximumDepth = 64

    private let tokens: [ExpressionToken]
    private var position = 0
    private var nesting = 0

    /// A parsed subtree and the depth of its tree (a leaf is 1).
    private struct Parsed {
        var expression: ExpressionSyntax
        var depth: Int
    }

    private init(tokens: [ExpressionToken]) { self.tokens = tokens }

    static func parse(_ text: String) throws(ExpressionError) -> ExpressionSyntax {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(of: text))
        if parser.current.kind == .end {
            throw ExpressionError(column: 1, message: "the condition is empty")
        }
        let parsed = try parser.parseBinary(minimumPrecedence: 1)
        guard parser.current.kind == .end else {
            throw parser.unexpected(expecting: "an operator or the end of the condition")
        }
        return parsed.expression
    }

    private var current: ExpressionToken { tokens[position] }

    private mutating func advance() -> ExpressionToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func unexpected(expecting what: String) -> ExpressionError {
        ExpressionError(column: current.column, message: "expected \(what), found \(current.quoted)")
    }

    private func tooDeep(at column: Int) -> ExpressionError {
        ExpressionError(column: column, message: "the condition nests more than \(Self.maximumDepth) levels deep")
    }

    private mutating func enter(at column: Int) throws(ExpressionError) {
        nesting += 1
        if nesting > Self.maximumDepth { throw tooDeep(at: column) }
    }

    private static func binaryOperator(_ kind: ExpressionToken.Kind) -> ExpressionSyntax.BinaryOperator? {
        switch kind {
        case .or: return .or
        case .and: return .and
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessOrEqual: return .lessOrEqual
        case .greater: return .greater
        case .greaterOrEqual: return .greaterOrEqual
        case .matches: return .matches
        case .notMatches: return .notMatches
        case .inKeyword: return .in
        default: return nil
        }
    }

    /// Precedence climbing: `||` < `&&` < comparisons; `&&` and `||` associate to the left,
    /// comparisons do not chain (`a == b == c` is an error: its meaning is rarely the intended one).
    private mutating func parseBinary(minimumPrecedence: Int) throws(ExpressionError) -> Parsed {
        var left = try parseUnary()
        while let op = Self.binaryOperator(current.kind), op.precedence >= minimumPrecedence {
            let operatorToken = advance()
            let right = op.precedence == 3 ? try parseUnary() : try parseBinary(minimumPrecedence: op.precedence + 1)
            let depth = max(left.depth, right.depth) + 1
            if depth > Self.maximumDepth { throw tooDeep(at: operatorToken.column) }
            left = Parsed(
                expression: ExpressionSyntax(.binary(op, left.expression, right.expression), column: operatorToken.column),
                depth: depth)
            if op.precedence == 3, let next = Self.binaryOperator(current.kind), next.precedence == 3 {
                throw ExpressionError(
                    column: current.column,
                    message: "comparisons do not chain: add parentheses around '\(op.rawValue)' or '\(next.rawValue)'")
            }
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionError) -> Parsed {
        guard current.kind == .not else { return try parsePrimary() }
        let operatorToken = advance()
        try enter(at: operatorToken.column)
        defer { nesting -= 1 }
        let operand = try parseUnary()
        if operand.depth + 1 > Self.maximumDepth { throw tooDeep(at: operatorToken.column) }
        return Parsed(expression: ExpressionSyntax(.not(operand.expression), column: operatorToken.column), depth: operand.depth + 1)
    }

    private mutating func parsePrimary() throws(ExpressionError) -> Parsed {
        let token = current
        switch token.kind {
        case .string(let value):
            _ = advance()
            return Parsed(expression: ExpressionSyntax(.string(value), column: token.column), depth: 1)
        case .number(let value):
            _ = advance()
            return Parsed(expression: ExpressionSyntax(.number(value), column: token.column), depth: 1)
        case .trueKeyword, .falseKeyword:
            _ = advance()
            return Parsed(expression: ExpressionSyntax(.boolean(token.kind == .trueKeyword), column: token.column), depth: 1)
        case .identifier(let name):
            _ = advance()
            guard current.kind == .leftParenthesis else {
                return Parsed(expression: ExpressionSyntax(.variable(name), column: token.column), depth: 1)
            }
            let open = advance()
            let (arguments, depth) = try parseSequence(closing: .rightParenthesis, closingText: "')'", opener: open, openerText: "'('")
            return Parsed(expression: ExpressionSyntax(.call(function: name, arguments: arguments), column: token.column), depth: depth)
        case .leftParenthesis:
            let open = advance()
            try enter(at: open.column)
            defer { nesting -= 1 }
            let inner = try parseBinary(minimumPrecedence: 1)
            guard current.kind == .rightParenthesis else {
                throw ExpressionError(
                    column: current.column,
                    message: "expected ')' to close '(' at column \(open.column), found \(current.quoted)")
            }
            _ = advance()
            return inner
        case .leftBracket:
            let open = advance()
            let (elements, depth) = try parseSequence(closing: .rightBracket, closingText: "']'", opener: open, openerText: "'['")
            return Parsed(expression: ExpressionSyntax(.list(elements), column: token.column), depth: depth)
        default:
            throw unexpected(expecting: "a value, a name, '!' or '('")
        }
    }

    /// Comma-separated expressions up to `closing`, for call arguments and lists. A trailing
    /// comma is allowed. Returns the elements and the depth of the node that will hold them.
    private mutating func parseSequence(
        closing: ExpressionToken.Kind, closingText: String, opener: ExpressionToken, openerText: String
    ) throws(ExpressionError) -> ([ExpressionSyntax], Int) {
        try enter(at: opener.column)
        defer { nesting -= 1 }
        var elements: [ExpressionSyntax] = []
        var depth = 1
        while current.kind != closing {
            let element = try parseBinary(minimumPrecedence: 1)
            elements.append(element.expression)
            depth = max(depth, element.depth + 1)
            if depth > Self.maximumDepth { throw tooDeep(at: opener.column) }
            if current.kind == .comma {
                _ = advance()
            } else if current.kind != closing {
                throw ExpressionError(
                    column: current.column,
                    message: "expected ',' or \(closingText) to close \(openerText) at column \(opener.column), found \(current.quoted)")
            }
        }
        _ = advance()
        return (elements, depth)
    }
}
