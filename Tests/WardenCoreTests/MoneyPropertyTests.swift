import PropertyBased
import Testing
@testable import WardenCore

@Suite("Money properties")
struct MoneyPropertyTests {
    /// Amounts up to ±10¹⁵ units with full 10⁻¹⁸ precision.
    static let amounts = Gen.int128(in: -(Int128(1_000_000_000_000_000) * Money.attosPerUnit)...(Int128(1_000_000_000_000_000) * Money.attosPerUnit))

    @Test func formattingThenParsingGivesTheSameAmount() async {
        await propertyCheck(count: 500, input: Self.amounts) { attos in
            let money = Money(attos: attos)
            let parsed = try #require(try? Money.parse(money.exactDecimal))
            #expect(parsed.money == money)
            #expect(!parsed.wasRounded)
        }
    }

    @Test func parsingThenFormattingGivesCanonicalText() async {
        // Random digit strings with a point somewhere: the canonical form drops leading and
        // trailing zeros only.
        let digits = Gen.number.string(of: 1...18)
        await propertyCheck(count: 300, input: digits, digits) { whole, fraction in
            let text = whole + "." + fraction
            let money = try #require(try? Money.parse(text).money)
            var expectedWhole = String(whole.drop { $0 == "0" })
            if expectedWhole.isEmpty { expectedWhole = "0" }
            var expectedFraction = Substring(fraction)
            while expectedFraction.last == "0" { expectedFraction = expectedFraction.dropLast() }
            let expected = expectedFraction.isEmpty ? expectedWhole : expectedWhole + "." + expectedFraction
            #expect(money.exactDecimal == expected)
        }
    }

    @Test func theSumOfManyCostsEqualsTheSumOfItsParts() async {
        // Per-token prices up to 0.001 with 18-decimal precision, token counts up to 10⁷.
        let costs = zip(Gen.int128(in: 0...1_000_000_000_000_000), Gen.int64(in: 0...10_000_000)).array(of: 1...200)
        await propertyCheck(count: 200, input: costs, Gen.int(in: 0...200)) { items, cut in
            let split = min(cut, items.count)
            func total(_ slice: ArraySlice<(Int128, Int64)>) -> Money {
                slice.reduce(Money.zero) { $0 + Money(attos: $1.0) * $1.1 }
            }
            let all = total(items[...])
            #expect(all == total(items[..<split]) + total(items[split...]))
            // The exact decimal text of the total re-adds to the same total.
            let reparsed = (try? Money.parse(total(items[..<split]).exactDecimal).money) ?? .zero
            #expect(reparsed + total(items[split...]) == all)
        }
    }

    @Test func aPriceTimesSummedTokensEqualsTheSummedCosts() async {
        let tokens = Gen.int64(in: 0...1_000_000).array(of: 1...100)
        await propertyCheck(count: 200, input: Gen.int128(in: 0...1_000_000_000_000_000), tokens) { price, counts in
            let perCall = counts.reduce(Money.zero) { $0 + Money(attos: price) * $1 }
            #expect(perCall == Money(attos: price) * counts.reduce(0, +))
        }
    }

    @Test func formattedIsTheHalfEvenRoundingOfTheExactAmount() async {
        await propertyCheck(count: 500, input: Self.amounts, Gen.int(in: 0...18)) { attos, places in
            let text = Money(attos: attos).formatted(places: places)
            // Independent rounding: floor division, then compare twice the remainder with the unit.
            var unit: Int128 = 1
            for _ in 0..<(18 - places) { unit *= 10 }
            var quotient = attos / unit
            var remainder = attos % unit
            if remainder < 0 { quotient -= 1; remainder += unit }  // floor
            if remainder * 2 > unit || (remainder * 2 == unit && quotient % 2 != 0) { quotient += 1 }
            let parsed = try #require(try? Money.parse(text).money)
            #expect(parsed.attos == quotient * unit)
            // Exactly `places` decimals.
            let decimals = text.split(separator: ".").dropFirst().first?.count ?? 0
            #expect(decimals == places)
        }
    }
}
