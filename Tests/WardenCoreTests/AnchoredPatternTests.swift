import Testing
@testable import WardenCore

/// Scope patterns that are literal alternations are matched on bytes; these pin that the answers
/// are `Regex.wholeMatch`'s, including for values the fast path hands back to `Regex`.
@Suite("AnchoredPattern")
struct AnchoredPatternTests {
    static let values = ["ml", "data", "mldata", "ml|data", "", "ML", "dat", "datas", "xml", "a.b", "axb",
                         "caf\u{E9}", "cafe\u{301}", "\u{212A}", "K", "ml\n", "m l", "search-1"]

    @Test(arguments: ["ml|data", "(ml|data)", "(?:ml|data)", "a\\.b", "K", "caf\u{E9}", "m l", "", "ml|"])
    func aLiteralAlternationIsFastAndAgreesWithRegex(pattern: String) throws {
        let anchored = try AnchoredPattern(pattern)
        let regex = try Regex(pattern)
        #expect(anchored.isFastPath == pattern.unicodeScalars.allSatisfy(\.isASCII))
        for value in Self.values {
            #expect(anchored.matches(value) == ((try? regex.wholeMatch(in: value)) != nil), "\(pattern) vs \(value.debugDescription)")
        }
    }

    @Test(arguments: ["search-.*", "(a)|(b)", "a+", "[mM]l", "\\d", "(?i)ml", "ml$", "^ml"])
    func anyOtherPatternRunsOnRegex(pattern: String) throws {
        let anchored = try AnchoredPattern(pattern)
        let regex = try Regex(pattern)
        #expect(!anchored.isFastPath)
        for value in Self.values {
            #expect(anchored.matches(value) == ((try? regex.wholeMatch(in: value)) != nil), "\(pattern) vs \(value.debugDescription)")
        }
    }
}
