import Testing
@testable import WardenCore

/// Hostile patterns cannot stall the engine: every match visits at most
/// `2 × (scalars + 1) × program size` instructions. Counted, not timed, so the bound holds on any
/// machine; the patterns are the classic catastrophic-backtracking ones, on which a backtracking
/// matcher needs on the order of 2²⁵⁶ steps for these values.
@Suite struct AnchoredPatternLinearTimeTests {
    static let adversarial: [(pattern: String, value: String)] = [
        ("(a+)+$", String(repeating: "a", count: 255) + "!"),
        ("(a|aa)*b", String(repeating: "a", count: 256)),
        ("(.*)*x", String(repeating: "y", count: 256)),
        ("(a*)*b", String(repeating: "a", count: 256)),
        ("(a|a?)+c", String(repeating: "a", count: 256)),
        ("(\\w+\\s?)*$", String(repeating: "word ", count: 51) + "!"),
        ("^(([a-z])+.)+[A-Z]([a-z])+$", String(repeating: "a", count: 255) + "!"),
        ("(.*a){20}", String(repeating: "a", count: 19) + String(repeating: "b", count: 237)),
        ("(x+x+)+y", String(repeating: "x", count: 256)),
        ("(é|e\u{301}|.)*z", String(repeating: "é", count: 128)),
    ]

    @Test(arguments: adversarial)
    func aHostileValueCostsAtMostLinearWork(_ example: (pattern: String, value: String)) throws {
        let pattern = try AnchoredPattern(example.pattern)
        #expect(pattern.hasBitsets)
        let bound = 2 * (example.value.unicodeScalars.count + 1) * pattern.programSize
        for (matched, work) in [pattern.matchOnProgram(example.value), pattern.matchBySimulation(example.value)] {
            #expect(!matched)
            #expect(work <= bound, "\(example.pattern): \(work) steps, bound \(bound)")
        }
        #expect(!pattern.matches(example.value))
    }

    @Test func workGrowsLinearlyWithTheValue() throws {
        let pattern = try AnchoredPattern("(a+)+$")
        for match in [pattern.matchOnProgram, pattern.matchBySimulation] {
            let short = match(String(repeating: "a", count: 64) + "!").work
            let long = match(String(repeating: "a", count: 256) + "!").work
            // Four times the value, about four times the work (a backtracker would square it and more).
            #expect(long <= 5 * short, "\(short) → \(long)")
            #expect(long >= 3 * short, "\(short) → \(long)")
        }
    }

    @Test func aProgramTooLargeForBitsetsStillRunsInLinearWork() throws {
        // 300 consuming states: the plain simulation.
        let pattern = try AnchoredPattern("(" + String(repeating: "(a|b)", count: 150) + ")+$")
        #expect(!pattern.hasBitsets)
        let value = String(repeating: "ab", count: 128) + "!"
        let (matched, work) = pattern.matchOnProgram(value)
        #expect(!matched)
        #expect(work <= 2 * (value.unicodeScalars.count + 1) * pattern.programSize)
        #expect(pattern.matches(String(repeating: "ab", count: 150)))
    }

    @Test func aMatchingValueStillMatches() throws {
        let pattern = try AnchoredPattern("(a+)+$")
        #expect(pattern.matches(String(repeating: "a", count: 256)))
        #expect(try AnchoredPattern("(a|aa)*b").matches(String(repeating: "a", count: 255) + "b"))
    }
}
