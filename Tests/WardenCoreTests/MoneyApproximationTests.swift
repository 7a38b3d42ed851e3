import Testing
import WardenCore

@Suite struct MoneyApproximationTests {
    @Test func theDoubleForExpositionIsTheNearestFloatOfTheExactAmount() throws {
        #expect(try Money(exactly: "0.00575").approximateDouble == 0.00575)
        #expect(try Money(exactly: "-12.5").approximateDouble == -12.5)
        #expect(try Money(exactly: "1234567.000000000000000001").approximateDouble == 1234567.0)
        #expect(Money.zero.approximateDouble == 0)
    }

    @Test func amountsBeyondInt64WholeUnitsStillConvert() {
        let huge = Money(attos: Int128(Int64.max) * Money.attosPerUnit * 4)
        #expect(huge.approximateDouble == Double(Int64.max) * 4)
    }
}
