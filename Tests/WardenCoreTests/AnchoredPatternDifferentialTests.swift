import PropertyBased
import Testing
@testable import WardenCore

/// The matcher against a reference: random patterns of the accepted syntax must give, on random
/// short values, exactly the answers of Swift's `Regex.wholeMatch` matching Unicode scalars. Each
/// pattern is rendered twice, once for each engine, where their spellings differ: RE2's `$` is
/// Swift's `\z`, and the shorthand classes are spelt out for Swift (its ASCII-only `\w` refuses a
/// digit followed by a combining mark even when matching scalars); `.` matches line breaks in both.
@Suite struct AnchoredPatternDifferentialTests {
    typealias SplitMix = ExpressionPropertyTests.SplitMix

    /// A pattern and its spelling for Swift's `Regex`.
    struct Rendered {
        var ours = ""
        var swift = ""
        mutating func append(_ both: String) { ours += both; swift += both }
        mutating func append(ours: String, swift: String) { self.ours += ours; self.swift += swift }
    }

    static let literals = ["a", "b", "c", "é", "😀", "-", "1", "\\.", "\\*", "\\(", "\\|", "\\\\", "\\n", "\\t", "\\x41", "\\x{E9}", " "]
    static let classMembers: [(ours: String, swift: String)] = [
        ("a", "a"), ("b-d", "b-d"), ("é", "é"), ("\\d", "0-9"), ("\\w", "0-9A-Za-z_"), ("\\s", "\\t\\n\\f\\r "), ("x-z", "x-z"),
        ("\\-", "\\-"), ("\\]", "\\]"), ("\\n", "\\n"), ("0-9", "0-9"), ("😀", "😀"), (".", "."), ("*", "*"),
    ]
    static let escapes: [(ours: String, swift: String)] = [
        ("\\d", "[0-9]"), ("\\D", "[^0-9]"), ("\\w", "[0-9A-Za-z_]"), ("\\W", "[^0-9A-Za-z_]"),
        ("\\s", "[\\t\\n\\f\\r ]"), ("\\S", "[^\\t\\n\\f\\r ]"),
    ]
    static let quantifiers = ["*", "+", "?", "{2}", "{1,3}", "{0,}", "{0,2}", "*?", "+?", "??"]

    /// Something that may be quantified: a literal, `.`, a class, an escape or a group. Returns
    /// whether it can match the empty string: such an atom is never quantified, because Swift's
    /// backtracking `Regex` can loop without end on a repeated empty match (`(^)*`, `()+`), which
    /// would hang the reference, not the matcher under test.
    @discardableResult
    static func atom(_ random: inout SplitMix, depth: Int, into out: inout Rendered) -> Bool {
        switch random.below(depth > 0 ? 6 : 4) {
        case 0:
            out.append(random.pick(literals))
        case 1:
            out.append(".")
        case 2:
            let negated = random.below(3) == 0
            out.append("[" + (negated ? "^" : ""))
            for _ in 0...random.below(3) {
                let member = random.pick(classMembers)
                out.append(ours: member.ours, swift: member.swift)
            }
            out.append("]")
        case 3:
            let escape = random.pick(escapes)
            out.append(ours: escape.ours, swift: escape.swift)
        default:
            out.append(random.below(2) == 0 ? "(" : "(?:")
            let nullable = alternation(&random, depth: depth - 1, into: &out)
            out.append(")")
            return nullable
        }
        return false
    }

    /// Returns whether the concatenation can match the empty string.
    @discardableResult
    static func concatenation(_ random: inout SplitMix, depth: Int, into out: inout Rendered) -> Bool {
        var nullable = true
        for _ in 0..<random.below(4) {
            switch random.below(10) {
            case 0: out.append("^")
            case 1: out.append(ours: "$", swift: "\\z")
            default:
                let atomNullable = atom(&random, depth: depth, into: &out)
                var quantified = false
                if random.below(3) == 0, !atomNullable {
                    let quantifier = random.pick(quantifiers)
                    out.append(quantifier)
                    quantified = quantifier.hasPrefix("*") || quantifier.hasPrefix("?") || quantifier.hasPrefix("{0")
                }
                if !atomNullable && !quantified { nullable = false }
            }
        }
        return nullable
    }

    /// Returns whether the alternation can match the empty string.
    @discardableResult
    static func alternation(_ random: inout SplitMix, depth: Int, into out: inout Rendered) -> Bool {
        var nullable = concatenation(&random, depth: depth, into: &out)
        while random.below(4) == 0 {
            out.append("|")
            if concatenation(&random, depth: depth, into: &out) { nullable = true }
        }
        return nullable
    }

    static func pattern(seed: UInt64) -> Rendered {
        var random = SplitMix(state: seed)
        var out = Rendered()
        alternation(&random, depth: 3, into: &out)
        return out
    }

    static let valueScalars: [Unicode.Scalar] = ["a", "b", "c", "d", "x", "é", "e", "\u{301}", "😀", "-", "1", "9", "A", "_", ".",
                                                 "*", "(", "|", "\\", "]", " ", "\n", "\t", "\u{0C}", "\u{85}", "\u{663}"]

    static func reference(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        try Regex(pattern).matchingSemantics(.unicodeScalar).dotMatchesNewlines()
    }

    @Test func randomPatternsMatchExactlyWhatSwiftRegexWholeMatchMatches() async throws {
        let values = Gen.int(in: 0..<Self.valueScalars.count).array(of: 0...7)
            .map { String(String.UnicodeScalarView($0.map { Self.valueScalars[$0] })) }.array(of: 40)
        await propertyCheck(count: 400, input: Gen.uint64(), values) { seed, values in
            let rendered = Self.pattern(seed: seed)
            let pattern = try #require(try? AnchoredPattern(rendered.ours), "seed \(seed): \(rendered.ours) does not compile")
            let regex = try #require(try? Self.reference(rendered.swift), "seed \(seed): Regex rejects \(rendered.swift)")
            // Values built from the pattern's own literals match far more often than random ones.
            var random = SplitMix(state: seed ^ 0x5555)
            let sampled = (0..<20).map { _ in Self.sample(from: rendered.ours, &random) }
            for value in values + sampled {
                let expected = try regex.wholeMatch(in: value) != nil
                #expect(pattern.matches(value) == expected, "seed \(seed): \(rendered.ours) on \(value.debugDescription)")
                #expect(pattern.matchOnProgram(value).matched == expected, "seed \(seed): \(rendered.ours) on \(value.debugDescription)")
                #expect(pattern.matchBySimulation(value).matched == expected, "seed \(seed): \(rendered.ours) on \(value.debugDescription)")
            }
        }
    }

    /// An alternation of long runs of atoms: a program of more than 64 states (whose state sets
    /// take four words instead of one) that a backtracking matcher still runs quickly.
    static func largePattern(seed: UInt64) -> Rendered {
        var random = SplitMix(state: seed)
        var out = Rendered()
        for branch in 0..<(6 + random.below(6)) {
            if branch > 0 { out.append("|") }
            for _ in 0..<(8 + random.below(8)) {
                atom(&random, depth: 0, into: &out)
                if random.below(5) == 0 { out.append(random.pick(["?", "{2}", "+", "*", "{1,3}"])) }
            }
        }
        return out
    }

    @Test func largeRandomPatternsMatchExactlyWhatSwiftRegexWholeMatchMatches() async throws {
        let values = Gen.int(in: 0..<Self.valueScalars.count).array(of: 0...12)
            .map { String(String.UnicodeScalarView($0.map { Self.valueScalars[$0] })) }.array(of: 20)
        let fourWords = (0..<100).filter { (try? AnchoredPattern(Self.largePattern(seed: UInt64($0)).ours))?.bitsetWords == 4 }
        #expect(fourWords.count > 50)
        await propertyCheck(count: 150, input: Gen.uint64(), values) { seed, values in
            let rendered = Self.largePattern(seed: seed)
            let pattern = try #require(try? AnchoredPattern(rendered.ours), "seed \(seed): \(rendered.ours) does not compile")
            let regex = try #require(try? Self.reference(rendered.swift), "seed \(seed): Regex rejects \(rendered.swift)")
            var random = SplitMix(state: seed ^ 0x5555)
            let sampled = (0..<30).map { _ in Self.sample(from: rendered.ours, &random) }
            for value in values + sampled {
                let expected = try regex.wholeMatch(in: value) != nil
                #expect(pattern.matchOnProgram(value).matched == expected, "seed \(seed): \(rendered.ours) on \(value.debugDescription)")
                #expect(pattern.matchBySimulation(value).matched == expected, "seed \(seed): \(rendered.ours) on \(value.debugDescription)")
            }
        }
    }

    /// A value made of pieces of the pattern's own text (unescaped), so that literals line up.
    static func sample(from pattern: String, _ random: inout SplitMix) -> String {
        let scalars = Array(pattern.unicodeScalars.filter { !"\\()[]|^$*+?{}".unicodeScalars.contains($0) })
        guard !scalars.isEmpty else { return "" }
        var value = ""
        for _ in 0..<random.below(8) {
            value.unicodeScalars.append(random.below(5) == 0 ? random.pick(valueScalars) : random.pick(scalars))
        }
        return value
    }

    @Test func generatedPatternsCoverEverySyntaxFeature() {
        // Guards the generator: a differential test over patterns that never use a feature says
        // nothing about it.
        let patterns = (0..<400).map { Self.pattern(seed: UInt64($0)).ours }
        for feature in ["[^", "\\d", "\\s", "(?:", "|", "{1,3}", "*?", "^", "$", "\\x{E9}", "😀", "."] {
            #expect(patterns.contains { $0.contains(feature) }, "\(feature)")
        }
    }

    static let fragments = ["(", ")", "[", "]", "^", "$", ".", "*", "+", "?", "|", "{", "}", "{2}", "{1,", "\\", "\\d", "\\1",
                            "(?", "(?:", "(?=", "(?i)", "[^", "a-z", "-", ",", "a", "é", "0", "\\x", "\\x{", "1000}", "*+"]

    @Test func randomPatternTextIsEitherAnErrorInsideItOrAWorkingPattern() async {
        let pieces = Gen.int(in: 0..<Self.fragments.count).array(of: 0...16)
        await propertyCheck(count: 2_000, input: pieces) { indices in
            let text = indices.map { Self.fragments[$0] }.joined()
            do throws(PatternError) {
                let pattern = try AnchoredPattern(text)
                for value in ["", "a", "aé0", "((a))", String(repeating: "a", count: 40) + "!"] {
                    let (matched, work) = pattern.matchOnProgram(value)
                    let simulated = pattern.matchBySimulation(value)
                    #expect(pattern.matches(value) == matched, "\(text) on \(value)")
                    #expect(simulated.matched == matched, "\(text) on \(value)")
                    for steps in [work, simulated.work] {
                        #expect(steps <= (value.unicodeScalars.count + 1) * pattern.programSize * 2, "\(text)")
                    }
                }
            } catch {
                #expect((0...text.unicodeScalars.count).contains(error.offset), "\(text): \(error)")
                #expect(!error.message.isEmpty)
            }
        }
    }
}
