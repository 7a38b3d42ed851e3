import Testing
import WardenCore

/// Every load-time error: its exact message and the 1-based column (Unicode scalars) it points at.
@Suite struct ExpressionErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var text: String
        var column: Int
        var message: String
        init(_ text: String, _ column: Int, _ message: String) {
            self.text = text
            self.column = column
            self.message = message
        }
        var testDescription: String { text }
    }

    private func check(_ example: Case) {
        let error = ExpressionFixtures.error(example.text)
        #expect(error == ExpressionError(column: example.column, message: example.message), "\(example.text)")
    }

    @Test(arguments: [
        Case("team = \"x\"", 6, "'=' is not an operator: use '==' to compare or '=~' to match"),
        Case("team & x", 6, "'&' is not an operator: use '&&'"),
        Case("team | x", 6, "'|' is not an operator: use '||'"),
        Case("team == #", 9, "unexpected character '#'"),
        Case("team == \u{7}", 9, "unexpected character U+0007"),
        Case("team == \"x", 9, "unterminated string starting at column 9"),
        Case(#"team == "\q""#, 10, #"unknown escape '\q' (use \" \\ \n \t or \uXXXX)"#),
        Case(#"team == "\u12""#, 10, #"'\u' must be followed by exactly four hex digits"#),
        Case(#"team == "\uD800""#, 10, #"'\uD800' is a surrogate, not a character"#),
        Case("hour > 5x", 9, "malformed number: unexpected 'x' after \"5\""),
        Case("hour > 5_", 8, "malformed number \"5_\" (use '_' only between digits)"),
        Case("estimated_cost > 1.0000000000000000001", 18,
             "number 1.0000000000000000001 is out of range (at most 18 decimal places and 20 integer digits)"),
        Case("attribution. == \"x\"", 13, "expected a name after '.'"),
        Case("é == \"x\"", 1, "unexpected character U+00E9"),
    ])
    func lexicalErrors(_ example: Case) { check(example) }

    @Test(arguments: [
        Case("", 1, "the condition is empty"),
        Case("   ", 1, "the condition is empty"),
        Case("(team == \"x\"", 13, "expected ')' to close '(' at column 1, found the end of the condition"),
        Case("lower(team == \"x\"", 18, "expected ',' or ')' to close '(' at column 6, found the end of the condition"),
        Case("team in [\"a\" \"b\"]", 14, "expected ',' or ']' to close '[' at column 9, found a string"),
        Case("team == ", 9, "expected a value, a name, '!' or '(', found the end of the condition"),
        Case("team == \"x\" team", 13, "expected an operator or the end of the condition, found \"team\""),
        Case("a == b == c", 8, "comparisons do not chain: add parentheses around '==' or '=='"),
        Case("hour < 3 in [1]", 10, "comparisons do not chain: add parentheses around '<' or 'in'"),
        Case("&& team", 1, "expected a value, a name, '!' or '(', found '&&'"),
    ])
    func syntaxErrors(_ example: Case) { check(example) }

    @Test(arguments: [
        Case("teem == \"x\"", 1, "unknown variable \"teem\" (did you mean \"team\"?)"),
        Case("attribution.tem == \"x\"", 1, "unknown variable \"attribution.tem\" (did you mean \"attribution.team\"?)"),
        Case("has(colour)", 5, "unknown variable \"colour\""),
        Case("lower == \"x\"", 1, "\"lower\" is a function: call it as lower(…)"),
        Case("foo(team)", 1, "unknown function \"foo\" (functions are has, budget_ratio, lower, starts_with)"),
        Case("lowr(team) == \"x\"", 1, "unknown function \"lowr\" (did you mean \"lower\"?)"),
        Case("budget_ratio(\"acme-monthy\") > 1", 14, "unknown budget \"acme-monthy\" (did you mean \"acme-monthly\"?)"),
        Case("budget_ratio(team) > 1", 14,
             "budget_ratio() takes a budget name in quotes, such as budget_ratio(\"team-monthly\")"),
        Case("has(\"team\")", 5, "has() takes a variable name, such as has(team)"),
        Case("lower(team, model) == \"x\"", 1, "lower() takes 1 argument, got 2"),
        Case("starts_with(team)", 1, "starts_with() takes 2 arguments, got 1"),
    ])
    func nameErrors(_ example: Case) { check(example) }

    @Test(arguments: [
        Case("team == 5", 6, "cannot compare a string with a number"),
        Case("estimated_cost == \"5\"", 16, "cannot compare a number with a string"),
        Case("has(team) == 1", 11, "cannot compare true/false with a number"),
        Case("[team] == [\"x\"]", 8, "cannot compare lists: use 'in' to test membership"),
        Case("team > 3", 6, "'>' compares numbers, but one side is a string"),
        Case("3 <= model", 3, "'<=' compares numbers, but one side is a string"),
        Case("!team", 1, "'!' needs true/false, but its operand is a string (to test that a label is absent, write !has(team))"),
        Case("team", 1, "a condition must be true or false, but this is a string"),
        Case("hour", 1, "a condition must be true or false, but this is a number"),
        Case("has(team) && team", 14, "'&&' needs true/false, but this is a string"),
        Case("hour || has(team)", 1, "'||' needs true/false, but this is a number"),
        Case("hour =~ \"1\"", 6, "'=~' matches strings, but its left side is a number"),
        Case("model =~ team", 10, "the right side of '=~' must be a regular expression in quotes"),
        Case("team in \"x\"", 9, "the right side of 'in' must be a list, such as [\"a\", \"b\"]"),
        Case("team in [\"a\", 1]", 15, "a list after 'in' holds literals of the left side's type (a string)"),
        Case("hour in [9, model]", 13, "a list after 'in' holds literals of the left side's type (a number)"),
        Case("has(team) in [true]", 1, "'in' needs a string or a number on its left, but this is true/false"),
        Case("lower(hour) == \"x\"", 7, "lower() needs a string, but this is a number"),
        Case("weekday == \"Sat\"", 12,
             "\"Sat\" is not a weekday: use monday, tuesday, wednesday, thursday, friday, saturday or sunday"),
        Case("\"sun\" != weekday", 1,
             "\"sun\" is not a weekday: use monday, tuesday, wednesday, thursday, friday, saturday or sunday"),
        Case("weekday in [\"monday\", \"funday\"]", 23,
             "\"funday\" is not a weekday: use monday, tuesday, wednesday, thursday, friday, saturday or sunday"),
    ])
    func typeErrors(_ example: Case) { check(example) }

    @Test func invalidRegularExpressionPointsAtTheOffendingCharacter() {
        #expect(ExpressionFixtures.error(#"team == "x" && model =~ "gpt|(abc""#)
            == ExpressionError(column: 30, message: "invalid regular expression: missing ')' to close this group"))
    }

    @Test func invalidRepetitionRangeIsARegexError() {
        #expect(ExpressionFixtures.error(#"model !~ "a{2,1}""#)
            == ExpressionError(column: 12, message: "invalid regular expression: in {2,1} the minimum is above the maximum"))
    }

    @Test func aRegexErrorAfterStringEscapesPointsAtTheRightColumn() {
        // The escapes `\\` and `\u00e9` are two and six characters of the condition, one of the pattern.
        #expect(ExpressionFixtures.error(#"model =~ "\\d\u00e9(?=x)""#)?.column == 20)
    }

    @Test func columnsCountUnicodeScalarsNotBytes() {
        // "é" and "😀" are one scalar each, but two and four UTF-8 bytes.
        #expect(ExpressionFixtures.error("team == \"é😀\" && teem == \"x\"") ==
            ExpressionError(column: 17, message: "unknown variable \"teem\" (did you mean \"team\"?)"))
    }

    @Test func nestingDeeperThan64LevelsIsAnError() {
        let deepParentheses = String(repeating: "(", count: 65) + "true" + String(repeating: ")", count: 65)
        #expect(ExpressionFixtures.error(deepParentheses) ==
            ExpressionError(column: 65, message: "the condition nests more than 64 levels deep"))
        let sixtyFour = String(repeating: "(", count: 64) + "true" + String(repeating: ")", count: 64)
        #expect(ExpressionFixtures.error(sixtyFour) == nil)
        let deepNots = String(repeating: "!", count: 64) + "true"
        #expect(ExpressionFixtures.error(deepNots) ==
            ExpressionError(column: 1, message: "the condition nests more than 64 levels deep"))
    }

    @Test func hugeNestingFailsWithoutExhaustingTheStack() {
        for text in [
            String(repeating: "(", count: 100_000),
            String(repeating: "!", count: 100_000) + "true",
            String(repeating: "[", count: 100_000),
            String(repeating: "lower(", count: 50_000),
            Array(repeating: "has(team)", count: 10_000).joined(separator: " && "),
        ] {
            #expect(ExpressionFixtures.error(text)?.message == "the condition nests more than 64 levels deep")
        }
    }
}
