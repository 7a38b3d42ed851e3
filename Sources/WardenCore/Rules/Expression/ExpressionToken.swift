/// One lexical token of a condition, with the column where it starts.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case string(String)
        case number(Money)
        case identifier(String)  // possibly dotted: `attribution.team`
        case trueKeyword, falseKeyword, inKeyword
        case leftParenthesis, rightParenthesis, leftBracket, rightBracket, comma
        case not, and, or
        case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual, matches, notMatches
        case end
    }

    var kind: Kind
    /// 1-based column in Unicode scalars.
    var column: Int

    /// How the token reads in an error message.
    var quoted: String {
        switch kind {
        case .string: return "a string"
        case .number: return "a number"
        case .identifier(let name): return "\"\(name)\""
        case .trueKeyword: return "'true'"
        case .falseKeyword: return "'false'"
        case .inKeyword: return "'in'"
        case .leftParenthesis: return "'('"
        case .rightParenthesis: return "')'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .comma: return "','"
        case .not: return "'!'"
        case .and: return "'&&'"
        case .or: return "'||'"
        case .equal: return "'=='"
        case .notEqual: return "'!='"
        case .less: return "'<'"
        case .lessOrEqual: return "'<='"
        case .greater: return "'>'"
        case .greaterOrEqual: return "'>='"
        case .matches: return "'=~'"
        case .notMatches: return "'!~'"
        case .end: return "the end of the condition"
        }
    }
}
