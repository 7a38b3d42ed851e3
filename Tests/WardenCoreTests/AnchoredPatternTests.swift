import Testing
@testable import WardenCore

/// What scope and condition patterns mean: whole-value matches over Unicode scalars, in the
/// RE2 syntax, with the common literal shapes on byte comparisons that agree with the NFA.
@Suite("AnchoredPattern")
struct AnchoredPatternTests {
    static func matches(_ pattern: String, _ value: String) throws -> Bool {
        try AnchoredPattern(pattern).matches(value)
    }

    /// The refusal of `pattern`, or nil if it compiles.
    static func error(_ pattern: String) -> PatternError? {
        do throws(PatternError) {
            _ = try AnchoredPattern(pattern)
            return nil
        } catch {
            return error
        }
    }

    static let values = ["ml", "data", "mldata", "ml|data", "", "ML", "dat", "datas", "xml", "a.b", "axb", "caf\u{E9}", "cafe\u{301}",
                         "ml\n", "m l", "search-1", "gpt-4.1", "gpt-4.1-mini", "xgpt-4.1", "😀ml😀"]

    @Test(arguments: ["ml|data", "(ml|data)", "(?:ml|data)", "^(ml|data)$", "a\\.b", "a[.]b", "caf\u{E9}", "m l", "", "ml|", "^$",
                      "gpt-4[.]1.*", "^gpt-4\\.1.*$", ".*ml", ".*(ml|data)$", ".*ml.*", ".*", "^.*(a|😀ml).*$", "(ml)", "((ml)|(data))"])
    func literalShapesRunOnBytesAndAgreeWithTheNFA(pattern: String) throws {
        let anchored = try AnchoredPattern(pattern)
        #expect(anchored.isFastPath)
        for value in Self.values {
            #expect(anchored.matches(value) == anchored.matchOnProgram(value).matched, "\(pattern) vs \(value.debugDescription)")
        }
    }

    @Test(arguments: ["search-.+", "(a)|b.*", "a+", "[mM]l", "\\d", "ml|.*x", "^ml|data$", "(ml|da.a)", ".*ml.*x", "m.l"])
    func otherPatternsRunOnTheNFA(pattern: String) throws {
        #expect(try !AnchoredPattern(pattern).isFastPath)
    }

    @Test func aPatternMatchesTheWholeValueOnly() throws {
        #expect(try Self.matches("o1", "o1"))
        #expect(try !Self.matches("o1", "o1-pro"))
        #expect(try !Self.matches("o1", "xo1"))
        #expect(try Self.matches("o[0-9]", "o3"))
        #expect(try !Self.matches("o[0-9]", "o3-mini"))
        #expect(try Self.matches("o[0-9].*", "o3-mini"))
    }

    @Test func anchorsAreRedundantAtTheEndsAndUnmatchableInside() throws {
        #expect(try Self.matches("^ml$", "ml"))
        #expect(try Self.matches("^^ml$$", "ml"))
        #expect(try !Self.matches("a^b", "ab"))
        #expect(try !Self.matches("a$b", "ab"))
        #expect(try Self.matches("(^a|b)(c|$)", "a"))
        #expect(try Self.matches("(^a|b)(c|$)", "bc"))
    }

    @Test func theEmptyPatternMatchesOnlyTheEmptyValue() throws {
        #expect(try Self.matches("", ""))
        #expect(try !Self.matches("", "a"))
        #expect(try Self.matches("a*", ""))
        #expect(try !Self.matches("a+", ""))
        #expect(try Self.matches("()", ""))
        #expect(try Self.matches("(|a)", ""))
    }

    @Test func classesTakeRangesNegationAndEscapes() throws {
        #expect(try Self.matches("[a-c]+", "abcab"))
        #expect(try !Self.matches("[a-c]+", "abd"))
        #expect(try Self.matches("[^a-c]", "d"))
        #expect(try !Self.matches("[^a-c]", "b"))
        #expect(try Self.matches("[^a-c]", "\n"))
        #expect(try Self.matches("[]a]+", "]a]"))
        #expect(try Self.matches("[a-]+", "-a-"))
        #expect(try Self.matches("[\\d_]+", "4_2"))
        #expect(try Self.matches("[^\\d]", "x"))
        #expect(try !Self.matches("[^\\d]", "7"))
        #expect(try Self.matches("[\\]\\\\]{2}", "]\\"))
        #expect(try Self.matches("[à-ÿ]", "é"))
        #expect(try !Self.matches("[à-ÿ]", "e"))
    }

    @Test func shorthandClassesAreASCIIAsInRE2() throws {
        #expect(try Self.matches("\\d+", "0123456789"))
        #expect(try !Self.matches("\\d", "\u{663}"))  // ARABIC-INDIC DIGIT THREE
        #expect(try Self.matches("\\D", "\u{663}"))
        #expect(try Self.matches("\\w+", "a_Z9"))
        #expect(try !Self.matches("\\w", "é"))
        #expect(try Self.matches("\\s\\s\\s\\s\\s", " \t\n\r\u{0C}"))
        #expect(try !Self.matches("\\s", "\u{0B}"))
        #expect(try !Self.matches("\\s", "\u{A0}"))
        #expect(try Self.matches("\\S", "\u{A0}"))
    }

    @Test func groupsNestAndRepeat() throws {
        #expect(try Self.matches("((a|b)(c|d))+", "acbdad"))
        #expect(try !Self.matches("((a|b)(c|d))+", "acb"))
        #expect(try Self.matches("(?:x(?:y(?:z)?)?)?", "xy"))
        #expect(try Self.matches("(?P<family>gpt|o)-(?<size>mini|nano)", "gpt-nano"))
        #expect(try Self.matches("(a*)*b", "aaab"))
        #expect(try Self.matches("(a|)*", "aaa"))
    }

    @Test func countedRepetitionTakesItsBounds() throws {
        #expect(try Self.matches("a{3}", "aaa"))
        #expect(try !Self.matches("a{3}", "aa"))
        #expect(try !Self.matches("a{3}", "aaaa"))
        #expect(try Self.matches("a{2,}", "aaaaa"))
        #expect(try !Self.matches("a{2,}", "a"))
        #expect(try Self.matches("(ab){1,2}", "abab"))
        #expect(try !Self.matches("(ab){1,2}", "ababab"))
        #expect(try Self.matches("x{0}y", "y"))
        #expect(try Self.matches("[0-9]{1000}", String(repeating: "7", count: 1000)))
    }

    @Test func lazyQuantifiersMeanTheSameAsGreedyOnes() throws {
        for (lazy, greedy) in [("a.*?b", "a.*b"), ("a+?", "a+"), ("(ab)??c", "(ab)?c"), ("a{1,3}?", "a{1,3}")] {
            for value in ["ab", "aXbYb", "a", "aaa", "aaaa", "c", "abc", "b"] {
                #expect(try Self.matches(lazy, value) == Self.matches(greedy, value), "\(lazy) on \(value)")
            }
        }
    }

    @Test func valuesAreMatchedByUnicodeScalar() throws {
        #expect(try Self.matches("caf.", "caf\u{E9}"))
        #expect(try !Self.matches("caf.", "cafe\u{301}"))  // two scalars
        #expect(try Self.matches("cafe.", "cafe\u{301}"))
        #expect(try !Self.matches("caf\u{E9}", "cafe\u{301}"))  // no canonical equivalence
        #expect(try Self.matches("😀+", "😀😀"))
        #expect(try Self.matches("[😀-😂]", "😁"))
        #expect(try Self.matches("\\x{1F600}", "😀"))
        #expect(try Self.matches("..", "\r\n"))
        #expect(try Self.matches("a.b", "a\nb"))  // `.` matches line breaks
        #expect(try Self.matches("[^x]", "\u{10FFFF}"))
        #expect(try Self.matches("ü.*", "ü\u{800}\u{10000}"))
    }

    @Test func escapedPunctuationStandsForItself() throws {
        #expect(try Self.matches("\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\-\\/", ".*+?()[]{}|^$\\-/"))
        #expect(try Self.matches("\\n\\t\\x41", "\n\tA"))
    }

    // MARK: Refusals

    @Test(arguments: [
        ("(a)\\1", 3, "backreferences (\\1) are not supported"),
        ("a(?=b)", 1, "lookahead ((?=…), (?!…)) is not supported"),
        ("(?<!a)b", 0, "lookbehind ((?<=…), (?<!…)) is not supported"),
        ("(?i)gpt", 0, "flags such as (?i) are not supported: spell the cases out, as in [Gg]pt, or compare lower(…) in a condition"),
        ("a*+", 2, "possessive quantifiers (such as *+) are not supported"),
        ("a**", 2, "a quantifier cannot follow another: put the repeated part in a group, as in (a+)*"),
        ("(abc", 0, "missing ')' to close this group"),
        ("abc)", 3, "unmatched ')' (write \\) for a literal parenthesis)"),
        ("[abc", 0, "missing ']' to close this character class"),
        ("[z-a]", 1, "the range z-a is out of order"),
        ("[[:alpha:]]", 1, "POSIX classes such as [:alpha:] are not supported: list the ranges, as in [a-zA-Z]"),
        ("+a", 0, "'+' has nothing to repeat (write \\+ for a literal '+')"),
        ("a{,3}", 1, "'{' must start a counted repetition such as {3}, {2,} or {2,5} (write \\{ for a literal brace)"),
        ("a{2,1}", 1, "in {2,1} the minimum is above the maximum"),
        ("a{1001}", 1, "a repetition count is at most 1,000"),
        ("^*", 1, "an anchor ('^' or '$') cannot be repeated"),
        ("\\bword", 0, "word boundaries (\\b, \\B) are not supported"),
        ("\\p{L}", 0, "Unicode property classes (\\p{…}) are not supported: list the ranges in a class"),
        ("ab\\", 2, "a pattern cannot end with a lone backslash (write \\\\ for a literal one)"),
        ("\\q", 0, "unknown escape '\\q'"),
        ("é\\x{D800}", 1, "\\x{D800} is not a Unicode scalar"),
    ])
    func syntaxOutsideTheAcceptedSetIsRefusedAtItsOffset(_ example: (String, Int, String)) {
        let (pattern, offset, message) = example
        #expect(Self.error(pattern) == PatternError(offset: offset, message: message), "\(pattern)")
    }

    @Test func aRepetitionThatExpandsPastTheLimitIsRefusedAtItsQuantifier() {
        let error = Self.error("x(a{100}){101}")
        #expect(error?.offset == 9)
        #expect(error?.message == "this repetition expands the pattern to 10,100 states, more than the 10,000 allowed")
        #expect(Self.error("(a{100}){99}") == nil)
    }

    @Test func aPatternLargerThanTheLimitIsRefused() {
        let error = Self.error(String(repeating: "a{1000}", count: 11))
        #expect(error?.offset == 0)
        #expect(error?.message == "the pattern is too large: it compiles to 11,000 states, more than the 10,000 allowed")
    }

    @Test func groupsNestAtMostAHundredLevels() {
        #expect(Self.error(String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)) == nil)
        #expect(Self.error(String(repeating: "(", count: 101) + "a" + String(repeating: ")", count: 101))
            == PatternError(offset: 100, message: "groups nest more than 100 levels deep"))
    }

    // MARK: Meaning as a search

    @Test(arguments: [("^a", false), ("a$", false), ("a", false), ("", false), ("^", false), ("^a|b$", false), ("^(a|b)$", true),
                      (".*a.*", true), ("^a.*", true), (".*a$", true), ("(^a)(.*)", true), (".*", true), ("^$", true), ("^a$|^b$", false)])
    func aPatternMeansTheSameAsASearchOnlyWhenFramedByAnchorsOrDotStar(_ example: (String, Bool)) throws {
        #expect(try AnchoredPattern(example.0).meansTheSameWhenSearched == example.1, "\(example.0)")
    }
}
