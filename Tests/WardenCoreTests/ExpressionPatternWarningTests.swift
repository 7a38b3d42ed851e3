import Testing
import WardenCore

/// A `=~` or `!~` pattern that would mean something else as a search anywhere in the value gets a
/// warning at its opening quote, saying what it means and how to search.
@Suite struct ExpressionPatternWarningTests {
    static func warnings(_ text: String) throws -> [ExpressionWarning] {
        try ExpressionFixtures.compile(text).warnings
    }

    @Test func aBareLiteralIsWarnedAboutWithItsSearchForm() throws {
        #expect(try Self.warnings(#"team == "interns" && model =~ "o1""#) == [ExpressionWarning(
            column: 31,
            message: #""o1" is matched against the whole value (it means "^o1$"); to find it anywhere in the value, write ".*o1.*""#)])
    }

    @Test func anAlternationIsGroupedInTheSuggestion() throws {
        #expect(try Self.warnings(#"model !~ "o1|o3""#).map(\.message) == [
            #""o1|o3" is matched against the whole value (it means "^(o1|o3)$"); to find it anywhere in the value, write ".*(o1|o3).*""#])
    }

    @Test func aPatternAnchoredAtOneEndGetsTheOtherEndOpened() throws {
        #expect(try Self.warnings(#"model =~ "^gpt-4""#).map(\.message) == [
            #""^gpt-4" is matched against the whole value (it means "^gpt-4$"); to find it anywhere in the value, write "^gpt-4.*""#])
        #expect(try Self.warnings(#"model =~ "-mini$""#).map(\.message) == [
            #""-mini$" is matched against the whole value (it means "^-mini$"); to find it anywhere in the value, write ".*-mini$""#])
    }

    @Test func theSuggestionIsWrittenAsTheConditionNeedsIt() throws {
        #expect(try Self.warnings(#"model =~ "gpt-\\d""#).map(\.message) == [
            #""gpt-\\d" is matched against the whole value (it means "^gpt-\\d$"); to find it anywhere in the value, write ".*gpt-\\d.*""#])
    }

    @Test func patternsFramedByAnchorsOrDotStarGetNoWarning() throws {
        for pattern in ["^o1$", ".*o1.*", "^gpt-4.*", ".*-mini$", "^(a|b)$", ".*", "^$"] {
            #expect(try Self.warnings("model =~ \"\(pattern)\"").isEmpty, "\(pattern)")
        }
    }

    @Test func everyPatternOfAConditionIsChecked() throws {
        let warnings = try Self.warnings(#"model =~ "a" || (team !~ "^b$" && project =~ "c")"#)
        #expect(warnings.map(\.column) == [10, 46])
    }
}
