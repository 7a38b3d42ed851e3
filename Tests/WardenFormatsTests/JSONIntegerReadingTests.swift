import Testing
import WardenCore
import WardenFormats

/// Exact integers from number text: what counts as an integer, and where Int64 ends.
@Suite struct JSONIntegerReadingTests {
    private func read(_ text: String) -> JSONIntegerReading { JSONIntegerReading(numberText: text) }

    @Test func readsPlainIntegers() {
        #expect(read("0") == .integer(0))
        #expect(read("42") == .integer(42))
        #expect(read("-17") == .integer(-17))
    }

    @Test func readsNegativeZeroAsZero() {
        #expect(read("-0") == .integer(0))
    }

    @Test func acceptsExponentsThatYieldWholeNumbers() {
        #expect(read("1e5") == .integer(100_000))
        #expect(read("1E+2") == .integer(100))
        #expect(read("250e-1") == .integer(25))
        #expect(read("0e-7") == .integer(0))
        #expect(read("100000000000000000000e-10") == .integer(10_000_000_000))
    }

    @Test func readsAWholeValueWrittenWithADecimalPoint() {
        #expect(read("1.0") == .integer(1))
        #expect(read("1000.000") == .integer(1000))
        #expect(read("1.5e1") == .integer(15))
        #expect(read("12.300e1") == .integer(123))
        #expect(read("-0.0") == .integer(0))
        #expect(read("1.000000000000000000000e2") == .integer(100))
    }

    @Test func rejectsAFraction() {
        #expect(read("1.5") == .notAnInteger)
        #expect(read("0.1") == .notAnInteger)
        #expect(read("1.05e1") == .notAnInteger)
        #expect(read("1.00000000000000000000001") == .notAnInteger)
        #expect(read("1.") == .notAnInteger)
    }

    @Test func aHugeWholeValueWithADecimalPointIsOutOfRange() {
        #expect(read("99999999999999999999.0") == .outOfRange(negative: false))
    }

    @Test func rejectsExponentsThatLeaveAFraction() {
        #expect(read("25e-1") == .notAnInteger)
        #expect(read("1e-1") == .notAnInteger)
        #expect(read("12345678901234567890123e-3") == .notAnInteger)
    }

    @Test func knowsTheEdgesOfInt64() {
        #expect(read("9223372036854775807") == .integer(.max))
        #expect(read("-9223372036854775808") == .integer(.min))
        #expect(read("9223372036854775808") == .outOfRange(negative: false))
        #expect(read("-9223372036854775809") == .outOfRange(negative: true))
        #expect(read("1e18") == .integer(1_000_000_000_000_000_000))
        #expect(read("1e19") == .outOfRange(negative: false))
        #expect(read("1e999999999999") == .outOfRange(negative: false))
        #expect(read("123456789012345678901234567890") == .outOfRange(negative: false))
    }

    @Test func treatsTextThatIsNotANumberAsNotAnInteger() {
        for text in ["", "-", "abc", "1e", "1e+", "12a", "1 "] {
            #expect(read(text) == .notAnInteger, "\(text)")
        }
    }

    @Test func isAvailableOnParsedNumbers() throws {
        let root = try JSONDocument(parsing: "[7, 1e3, 0.5, \"7\"]").root
        #expect(root.elements.map(\.integer) == [.integer(7), .integer(1000), .notAnInteger, nil])
    }
}
