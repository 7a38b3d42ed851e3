import Testing
@testable import WardenCore

@Suite("Money parsing and formatting")
struct MoneyParsingTests {
    @Test func parsesPlainDecimals() throws {
        #expect(try Money.parse("2.50").money == Money(attos: 2_500_000_000_000_000_000))
        #expect(try Money.parse("0").money == .zero)
        #expect(try Money.parse("-0.5").money == Money(attos: -500_000_000_000_000_000))
        #expect(try Money.parse("+7").money == Money(attos: 7_000_000_000_000_000_000))
    }

    @Test func parsesExponentsAsCatalogsWriteThem() throws {
        #expect(try Money.parse("2.5e-06").money == Money(attos: 2_500_000_000_000))
        #expect(try Money.parse("1E-18").money == Money(attos: 1))
        #expect(try Money.parse("1.5e+3").money == Money(attos: 1_500 * Money.attosPerUnit))
        #expect(try Money.parse("0e0").money == .zero)
        #expect(try Money.parse("0.0e300").money == .zero)
    }

    @Test func roundsTheFloatArtefactHalfToEvenWithAFlag() throws {
        let result = try Money.parse("2.9999900000000002e-06")
        #expect(result.wasRounded)
        #expect(result.money.exactDecimal == "0.00000299999")
    }

    @Test func exactTextIsNotFlaggedAsRounded() throws {
        #expect(try Money.parse("0.000000000000000001").wasRounded == false)
        #expect(try Money.parse("1.230000000000000000000").wasRounded == false)
    }

    @Test func roundsTiesToEvenBeyondEighteenDecimals() throws {
        #expect(try Money.parse("0.0000000000000000005").money == Money(attos: 0))
        #expect(try Money.parse("0.0000000000000000015").money == Money(attos: 2))
        #expect(try Money.parse("0.0000000000000000025").money == Money(attos: 2))
        #expect(try Money.parse("0.00000000000000000250001").money == Money(attos: 3))
        #expect(try Money.parse("-0.0000000000000000015").money == Money(attos: -2))
        #expect(try Money.parse("1e-30").money == .zero)
        #expect(try Money.parse("1e-30").wasRounded)
    }

    @Test func acceptsUnderscoresOnlyBetweenDigits() throws {
        #expect(try Money.parse("20_000.00").money == Money(attos: 20_000 * Money.attosPerUnit))
        #expect(throws: Money.ParseError.self) { try Money.parse("1_") }
        #expect(throws: Money.ParseError.self) { try Money.parse("1_.5") }
        #expect(throws: Money.ParseError.self) { try Money.parse("_1") }
        #expect(throws: Money.ParseError.self) { try Money.parse("1__0") }
    }

    @Test func longRunsOfTrailingZerosAreNotOutOfRange() throws {
        let text = "0.1" + String(repeating: "0", count: 100)
        #expect(try Money.parse(text).money == Money(attos: 100_000_000_000_000_000))
        #expect(try Money.parse("1" + String(repeating: "0", count: 19)).money == Money(attos: 10_000_000_000_000_000_000 * Money.attosPerUnit))
        #expect(try Money.parse("2500e-3").money == Money(attos: 2_500_000_000_000_000_000))
    }

    @Test func rejectsMalformedText() {
        #expect(throws: Money.ParseError.empty) { try Money.parse("") }
        #expect(throws: Money.ParseError.missingDigits) { try Money.parse("-") }
        #expect(throws: Money.ParseError.missingDigits) { try Money.parse(".") }
        #expect(throws: Money.ParseError.badExponent) { try Money.parse("1e") }
        #expect(throws: Money.ParseError.badExponent) { try Money.parse("1e+") }
        #expect(throws: Money.ParseError.invalidCharacter(offset: 3)) { try Money.parse("1.2.3") }
        #expect(throws: Money.ParseError.invalidCharacter(offset: 0)) { try Money.parse("nan") }
        #expect(throws: Money.ParseError.outOfRange) { try Money.parse("1e30") }
    }

    @Test func exactDecimalHasEveryDigitAndNoTrailingZeros() {
        #expect(Money(attos: 1_230_750_000_000).exactDecimal == "0.00000123075")
        #expect(Money(attos: 12 * Money.attosPerUnit).exactDecimal == "12")
        #expect(Money(attos: -500_000_000_000_000_000).exactDecimal == "-0.5")
        #expect(Money(attos: 1).exactDecimal == "0.000000000000000001")
    }

    @Test func formattedRoundsHalfToEvenToTheGivenPlaces() throws {
        #expect(try Money(exactly: "12.345").formatted(places: 2) == "12.34")
        #expect(try Money(exactly: "12.355").formatted(places: 2) == "12.36")
        #expect(try Money(exactly: "12.3451").formatted(places: 2) == "12.35")
        #expect(try Money(exactly: "0.5").formatted(places: 0) == "0")
        #expect(try Money(exactly: "1.5").formatted(places: 0) == "2")
        #expect(try Money(exactly: "-1.5").formatted(places: 0) == "-2")
        #expect(try Money(exactly: "-0.004").formatted(places: 2) == "0.00")
        #expect(try Money(exactly: "3").formatted(places: 4) == "3.0000")
        #expect(try Money(exactly: "0.000000000000000001").formatted(places: 18) == "0.000000000000000001")
    }

    @Test func aMultipleOfTextFinerThanTheResolutionIsRoundedOnlyOnce() throws {
        // 2.0751953125e-09 alone rounds (19 decimals); 1,572,864 of it is exactly 0.003264.
        let exact = try #require(Money.parse("2.0751953125e-09", times: 1_572_864))
        #expect(exact.money.exactDecimal == "0.003264" && !exact.wasRounded)
        #expect(Money.parse("0.25", times: 3)?.money.exactDecimal == "0.75")
        #expect(Money.parse("2.5E-06", times: 1)?.money == Money(attos: 2_500_000_000_000))
        // 1e-19 × 3 = 3e-19: still finer than 10⁻¹⁸, so rounded (half to even, to 0) and flagged.
        let fine = try #require(Money.parse("1e-19", times: 3))
        #expect(fine.money == .zero && fine.wasRounded)
        #expect(Money.parse("abc", times: 2) == nil)
    }

    @Test func exactInitRejectsRounding() {
        #expect(throws: Money.ParseError.outOfRange) { try Money(exactly: "0.0000000000000000001") }
    }
}
