import PropertyBased
import Testing
import WardenCore

/// Properties of the condition language over random input: printing and re-parsing a tree gives
/// the same tree, hostile text never crashes the parser, and `=~` agrees with Swift's `Regex`.
@Suite struct ExpressionPropertyTests {
    private typealias F = ExpressionFixtures

    /// A small deterministic generator, so that one `UInt64` seed from PropertyBased describes
    /// a whole random tree (and a failure reproduces from the printed seed).
    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
    }

    static let stringScalars: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\t", "\u{1}", "\u{7F}", "\u{85}", "é", "😀", "u", "(", "|"]

    static func randomName(_ random: inout SplitMix) -> String {
        let first: [Unicode.Scalar] = ["a", "b", "t", "_", "Z", "i"]
        let rest: [Unicode.Scalar] = ["a", "e", "n", "_", "0", "9", "Q"]
        while true {
            var name = ""
            for part in 0..<(random.below(4) == 0 ? 2 : 1) {
                if part > 0 { name += "." }
                name.unicodeScalars.append(random.pick(first))
                for _ in 0..<random.below(5) { name.unicodeScalars.append(random.pick(rest)) }
            }
            if !["true", "false", "in"].contains(name) { return name }
        }
    }

    /// A random, syntactically valid (not necessarily well-typed) tree of at most `depth` levels.
    static func randomTree(_ random: inout SplitMix, depth: Int) -> ExpressionSyntax {
        let leafOnly = depth <= 1
        switch random.below(leafOnly ? 4 : 8) {
        case 0:
            var value = ""
            for _ in 0..<random.below(6) { value.unicodeScalars.append(random.pick(stringScalars)) }
            return ExpressionSyntax(.string(value), column: 0)
        case 1:
            let magnitude = Int128(random.next()) * Int128(random.below(1 << 40)) * (random.below(2) == 0 ? 1 : 1_000_000)
            return ExpressionSyntax(.number(Money(attos: random.below(3) == 0 ? -magnitude : magnitude)), column: 0)
        case 2:
            return ExpressionSyntax(.boolean(random.below(2) == 0), column: 0)
        case 3:
            return ExpressionSyntax(.variable(randomName(&random)), column: 0)
        case 4:
            let elements = (0..<random.below(4)).map { _ in randomTree(&random, depth: depth - 1) }
            return ExpressionSyntax(.list(elements), column: 0)
        case 5:
            let arguments = (0..<random.below(4)).map { _ in randomTree(&random, depth: depth - 1) }
            return ExpressionSyntax(.call(function: randomName(&random), arguments: arguments), column: 0)
        case 6:
            return ExpressionSyntax(.not(randomTree(&random, depth: depth - 1)), column: 0)
        default:
            let op = random.pick(ExpressionSyntax.BinaryOperator.allCases)
            return ExpressionSyntax(.binary(op, randomTree(&random, depth: depth - 1), randomTree(&random, depth: depth - 1)), column: 0)
        }
    }

    @Test func printingThenParsingGivesTheSameTree() async {
        await propertyCheck(count: 1_000, input: Gen.uint64()) { seed in
            var random = SplitMix(state: seed)
            let tree = Self.randomTree(&random, depth: 6)
            let text = tree.description
            let parsed = try #require(try? ExpressionSyntax(parsing: text), "seed \(seed): \(text)")
            #expect(parsed.withoutColumns == tree, "seed \(seed): \(text)")
            #expect(parsed.description == text)
        }
    }

    /// Text biased toward the language's own characters and words.
    static let fragments = [
        "(", ")", "[", "]", ",", "!", "&&", "||", "==", "!=", "<", "<=", ">", ">=", "=~", "!~", " in ",
        "&", "|", "=", "~", "\"", "\\", "\\u", "\\uD8", "\\n", ".", "-", "_", "0", "5.00", "1_000", "-3",
        "team", "attribution.", "project", "model", "has(", "lower(", "budget_ratio(", "starts_with(",
        "\"acme-monthly\"", "\"^(gpt-4|claude).*\"", "\"[\"", "weekday", "\"monday\"", "true", "false",
        " ", "\n", "é", "😀", "\u{0}",
    ]

    @Test func randomTextNeverCrashesTheParser() async {
        let pieces = Gen.int(in: 0..<Self.fragments.count).array(of: 0...30)
        await propertyCheck(count: 2_000, input: pieces) { indices in
            let text = indices.map { Self.fragments[$0] }.joined()
            Self.checkAnyOutcome(of: text)
        }
    }

    @Test func randomScalarsNeverCrashTheParser() async {
        let text = Gen.character(in: "\u{0}"..."\u{2FF}").string(of: 0...40)
        await propertyCheck(count: 1_000, input: text) { text in
            Self.checkAnyOutcome(of: text)
        }
    }

    @Test func mutatedReferenceExamplesNeverCrashTheParser() async {
        let edits = zip(Gen.int(in: 0...10_000), Gen.int(in: 0...2), Gen.int(in: 0..<Self.fragments.count)).array(of: 1...4)
        await propertyCheck(count: 2_000, input: Gen.int(in: 0..<F.referenceExamples.count), edits) { example, edits in
            var scalars = Array(F.referenceExamples[example].unicodeScalars)
            for (place, kind, fragment) in edits {
                let position = place % (scalars.count + 1)
                switch kind {
                case 0 where position < scalars.count: scalars.remove(at: position)
                case 1 where position < scalars.count: scalars[position] = Self.fragments[fragment].unicodeScalars.first ?? " "
                default: scalars.insert(contentsOf: Self.fragments[fragment].unicodeScalars, at: position)
                }
            }
            Self.checkAnyOutcome(of: String(String.UnicodeScalarView(scalars)))
        }
    }

    /// Whatever happens must be orderly: an error inside the text (or just past its end), or a
    /// condition that evaluates and whose canonical form parses back to the same tree.
    static func checkAnyOutcome(of text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do throws(ExpressionError) {
            let compiled = try F.compile(text)
            _ = compiled.evaluate(F.request())
            _ = compiled.evaluate(F.request(team: nil, budgetRatios: []))
            let reparsed = try ExpressionSyntax(parsing: compiled.description)
            #expect(reparsed.withoutColumns == compiled.syntax.withoutColumns, "\(text)", sourceLocation: sourceLocation)
        } catch {
            #expect((1...text.unicodeScalars.count + 1).contains(error.column), "\(text): \(error)", sourceLocation: sourceLocation)
            #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
        }
    }

    /// Patterns of every fast-path shape, and a few that must fall back, against subjects made
    /// from the same letters plus newlines and non-ASCII scalars: `=~` answers as Swift's
    /// `Regex.wholeMatch` does on Unicode scalars with `.` matching line breaks.
    @Test func regexMatchAgreesWithSwiftRegexWholeMatch() async throws {
        let literals = ["", "a", "ab", "b.c", "é", "a-1"]
        var patterns: [String] = []
        for first in literals {
            let escaped = first.replacingOccurrences(".", "\\.")
            for second in literals.prefix(3) {
                let group = "(\(escaped)|\(second))"
                for body in [escaped, group, "(?:\(escaped)|\(second))"] {
                    for (head, tail) in [("", ""), ("^", ""), ("", ".*"), ("^", ".*"), ("", "$"), ("^", "$"), ("^", ".*$"), ("", "+")] {
                        patterns.append(head + body + tail)
                    }
                }
            }
        }
        // Skip the few combinations Regex itself rejects (`+` after nothing).
        let compiled = try patterns.compactMap { pattern -> (String, CompiledExpression, Regex<AnyRegexOutput>)? in
            guard let regex = try? Regex(pattern).matchingSemantics(.unicodeScalar).dotMatchesNewlines() else { return nil }
            return (pattern, try F.compile("model =~ \"\(pattern.replacingOccurrences("\\", "\\\\"))\""), regex)
        }
        #expect(compiled.count > 400)
        let subjectScalars: [Unicode.Scalar] = ["a", "b", "c", ".", "-", "1", "é", "e", "\u{301}", "\n"]
        let subjects = Gen.int(in: 0..<subjectScalars.count).array(of: 0...6)
            .map { String(String.UnicodeScalarView($0.map { subjectScalars[$0] })) }
        await propertyCheck(count: 300, input: subjects) { subject in
            for (pattern, expression, regex) in compiled {
                let expected = try regex.wholeMatch(in: subject) != nil
                #expect(expression.evaluate(F.request(model: subject)) == expected, "\(pattern) on \(subject.debugDescription)")
            }
        }
    }
}

extension String {
    /// Plain replacement without Foundation.
    fileprivate func replacingOccurrences(_ target: Character, _ replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
