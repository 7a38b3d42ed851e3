import Testing
@testable import WardenCore

@Suite("Rule durations")
struct RuleDurationTests {
    static let valid: [(String, Int64)] = [
        ("15m", 15 * 60 * 1_000_000_000),
        ("1m", 60 * 1_000_000_000),
        ("30s", 30 * 1_000_000_000),
        ("7d", 7 * 86_400 * 1_000_000_000),
        ("1h30m", 5_400 * 1_000_000_000),
        ("2w", 14 * 86_400 * 1_000_000_000),
        ("500ms", 500_000_000),
        ("0s", 0),
        ("1d12h", 36 * 3600 * 1_000_000_000),
    ]

    @Test(arguments: valid)
    func parsesUnitsToNanoseconds(text: String, nanoseconds: Int64) throws {
        #expect(try RuleDuration(parsing: text).nanoseconds == nanoseconds)
    }

    @Test func unknownUnitNamesTheUnitItsColumnAndTheValidUnits() {
        #expect(throws: RuleDurationError(offset: 1, message: "unknown unit \"mo\" in duration (use ms, s, m, h, d, w)")) {
            try RuleDuration(parsing: "1mo")
        }
    }

    static let malformed: [(String, Int, String)] = [
        ("", 0, "empty duration"),
        ("15", 2, "missing unit after \"15\""),
        ("h", 0, "expected a number"),
        ("-5m", 0, "cannot be negative"),
        ("30m1h", 4, "write larger units first"),
        ("1m1m", 3, "appears twice"),
        ("1h 30m", 2, "expected a number, found \" \""),
        ("1.5h", 1, "unexpected \".\""),
        ("99999999999w", 0, "too large"),
        ("1H", 1, "unknown unit \"H\""),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedDurationsAtTheRightColumn(text: String, offset: Int, fragment: String) {
        do {
            _ = try RuleDuration(parsing: text)
            Issue.record("\"\(text)\" parsed")
        } catch {
            #expect(error.offset == offset, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    static let canonical: [(String, String)] = [("90m", "1h30m"), ("60s", "1m"), ("1000ms", "1s"), ("14d", "2w"), ("0ms", "0s"), ("1w1d1h1m1s1ms", "1w1d1h1m1s1ms")]

    @Test(arguments: canonical)
    func descriptionIsCanonical(text: String, canonical: String) throws {
        #expect(try RuleDuration(parsing: text).description == canonical)
    }

    @Test func descriptionOfSubMillisecondValuesEndsInNanoseconds() {
        #expect(RuleDuration(nanoseconds: 1_000_001).description == "1ms1ns")
        #expect(RuleDuration(nanoseconds: -60_000_000_000).description == "-1m")
    }

    @Test func canonicalTextParsesBackToTheSameDuration() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let milliseconds = Int64.random(in: 0...(400 * 86_400_000), using: &generator)
            let duration = RuleDuration(nanoseconds: milliseconds * 1_000_000)
            #expect(try RuleDuration(parsing: duration.description) == duration)
        }
    }

    @Test func errorDescriptionIsOneBasedForUsers() {
        #expect(RuleDurationError(offset: 1, message: "x").description == "character 2: x")
    }
}
