import PropertyBased
import Testing
@testable import WardenCore
@testable import WardenFormats

/// The `/v1/check` response writes amounts and `remaining` figures straight into its buffer. These
/// pin that fast path to the `String`-building code it replaced, kept here as the reference.
@Suite struct ByteWriterEquivalenceTests {
    /// `Money.exactDecimal` as it was written before the byte writer.
    static func referenceExactDecimal(_ money: Money) -> String {
        let negative = money.attos < 0
        let magnitude = money.attos.magnitude
        let unitDivisor = UInt128(Money.attosPerUnit)
        let whole = magnitude / unitDivisor
        var fraction = magnitude % unitDivisor
        var text = negative ? "-" : ""
        text += String(whole)
        if fraction != 0 {
            var digits = Money.scale
            while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
            let fractionText = String(fraction)
            text += "."
            text += String(repeating: "0", count: digits - fractionText.count)
            text += fractionText
        }
        return text
    }

    /// `BudgetFigures.remaining` as it was written before the byte writer.
    static func referenceRemaining(_ figures: BudgetFigures) -> String {
        var terms: [String] = []
        if let currency = figures.currency {
            let left = figures.limit.money - figures.consumed.money
            terms.append("\(referenceExactDecimal(left < .zero ? .zero : left)) \(currency)")
        }
        if figures.limitsTokens { terms.append("\(max(figures.limit.tokens - figures.consumed.tokens, 0)) tokens") }
        return terms.joined(separator: " and ")
    }

    static let edgeAttos: [Int128] = [
        0, 1, -1, 9, 10, 100, 999_999_999_999_999_999, 1_000_000_000_000_000_000, 1_000_000_000_000_000_001,
        Int128(UInt64.max) - 1, Int128(UInt64.max), Int128(UInt64.max) + 1, -Int128(UInt64.max), -Int128(UInt64.max) - 1,
        Int128(UInt64.max) * 1_000_000_000_000_000_000, 1_230_750_000_000, 500_000_000_000_000_000, Int128.max, Int128.min + 1,
    ]

    @Test func exactDecimalMatchesTheStringReferenceAtEdges() {
        for attos in Self.edgeAttos {
            let money = Money(attos: attos)
            #expect(money.exactDecimal == Self.referenceExactDecimal(money), "attos \(attos)")
        }
    }

    @Test func exactDecimalMatchesTheStringReferenceForRandomAmounts() async {
        await propertyCheck(count: 1000, input: Gen.int128(in: Int128.min + 1...Int128.max)) { attos in
            let money = Money(attos: attos)
            #expect(money.exactDecimal == Self.referenceExactDecimal(money))
        }
        await propertyCheck(count: 1000, input: Gen.int128(in: -(Int128(1) << 70)...(Int128(1) << 70))) { attos in
            let money = Money(attos: attos)
            #expect(money.exactDecimal == Self.referenceExactDecimal(money))
        }
    }

    @Test func remainingMatchesTheStringReference() {
        let amounts: [(Int128, Int64)] = [(0, 0), (5, 7), (1_500_000_000_000_000_000, 1200), (-3, -4), (Int128(UInt64.max) + 9, Int64.max)]
        for currency in [nil, "USD", "EUR"] as [String?] {
            for limitsTokens in [false, true] {
                for (limit, consumed) in zip(amounts, amounts.reversed()) {
                    let figures = BudgetFigures(consumed: UsageAmount(money: Money(attos: consumed.0), tokens: consumed.1),
                                                projected: UsageAmount(money: Money(attos: consumed.0), tokens: consumed.1),
                                                limit: UsageAmount(money: Money(attos: limit.0), tokens: limit.1),
                                                currency: currency, limitsTokens: limitsTokens)
                    #expect(figures.remaining == Self.referenceRemaining(figures))
                }
            }
        }
    }

    @Test func writtenStringsAreEscapedLikeStringValues() {
        for text in ["12.5 USD", "", "a\"b\\c\n\u{1}é", "plain"] {
            var direct = JSONWriter(), written = JSONWriter()
            direct.beginArray(); direct.string(text); direct.string(text); direct.endArray()
            written.beginArray()
            written.string(writing: { $0.append(contentsOf: text.utf8) })
            written.string(writing: { $0.append(contentsOf: text.utf8) })
            written.endArray()
            #expect(written.bytes == direct.bytes, "\(text)")
        }
    }

    @Test func moneyNumbersAreTheExactDecimalText() {
        for attos in Self.edgeAttos {
            var direct = JSONWriter(), written = JSONWriter()
            direct.beginArray(); direct.number(text: Money(attos: attos).exactDecimal); direct.null(); direct.endArray()
            written.beginArray(); written.number(Money(attos: attos)); written.null(); written.endArray()
            #expect(written.bytes == direct.bytes)
        }
    }

    /// `Timestamp.rfc3339` as it was written before the byte writer.
    static func referenceRFC3339(_ time: Timestamp) -> String {
        let seconds = time.secondsSinceEpoch
        var nanos = time.nanosecondsSinceEpoch - seconds * 1_000_000_000
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let dayNumber = secondOfDay < 0 ? days - 1 : days
        let second = secondOfDay < 0 ? secondOfDay + 86_400 : secondOfDay
        let date = CivilDate(daysSinceEpoch: Int(dayNumber))
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T"
        text += "\(pad(Int(second / 3600), 2)):\(pad(Int(second / 60 % 60), 2)):\(pad(Int(second % 60), 2))"
        if nanos != 0 {
            var width = 9
            while nanos % 10 == 0 { nanos /= 10; width -= 1 }
            text += "." + pad(Int(nanos), width)
        }
        return text + "Z"
    }

    @Test func rfc3339MatchesTheStringReference() async {
        for nanos: Int64 in [0, 1, -1, 999_999_999, -999_999_999, 1_000_000_000, 86_400_000_000_000 - 1, .max, .min + 1_000_000_000,
                             1_795_000_000_123_456_789, 1_795_000_000_100_000_000] {
            let time = Timestamp(nanosecondsSinceEpoch: nanos)
            #expect(time.rfc3339 == Self.referenceRFC3339(time), "nanos \(nanos)")
        }
        await propertyCheck(count: 1000, input: Gen.int64(in: (Int64.min + 1_000_000_000)...Int64.max)) { nanos in
            let time = Timestamp(nanosecondsSinceEpoch: nanos)
            #expect(time.rfc3339 == Self.referenceRFC3339(time))
        }
        // The earliest instant: its floor second has no nanosecond count of its own.
        #expect(Timestamp(nanosecondsSinceEpoch: .min).rfc3339 == "1677-09-21T00:12:43.145224192Z")
    }

    /// A reason's pre-rendered head and scope are the members the writer would write from the
    /// fields, hostile label values included.
    @Test func renderedReasonPartsMatchTheWriter() {
        let labelSets: [[AuditLabel]] = [[], [AuditLabel(key: "org", value: "acme")],
                                         [AuditLabel(key: "team", value: "a\"b\\c\n"), AuditLabel(key: "user", value: "é\u{1}")]]
        for rule in ["org-monthly", "we\"ird\\name\t"] {
            for kind in RuleKind.allCases {
                var expected = JSONWriter()
                expected.key("rule"); expected.string(rule); expected.key("kind"); expected.string(kind.rawValue)
                let subject = ReasonSubject(rule: rule, kind: kind, scope: [])
                withExtendedLifetime(subject) { #expect(Array(subject.renderedMembers.head) == expected.bytes) }
            }
        }
        for labels in labelSets {
            var expected = JSONWriter()
            if !labels.isEmpty {
                expected.key("scope")
                expected.beginObject()
                for label in labels { expected.key(label.key); expected.string(label.value) }
                expected.endObject()
            }
            let subject = ReasonSubject(rule: "r", kind: .budget, scope: labels)
            withExtendedLifetime(subject) { #expect(Array(subject.renderedMembers.scope) == expected.bytes) }
        }
    }

    /// Digits written two at a time from a table, counted by comparison: every width, both sides
    /// of every power of ten, zero padding, against `String`.
    @Test func digitsMatchStringForEveryWidthAndPadding() {
        var values: [UInt64] = [0, 1, 9, 10, 99, 100, UInt64.max, UInt64.max - 1]
        var power: UInt64 = 1
        for _ in 0..<19 {
            power *= 10
            values += [power - 1, power, power + 1]
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 { values.append(UInt64.random(in: 0...UInt64.max, using: &generator) >> UInt64.random(in: 0...63, using: &generator)) }
        for value in values {
            for minimumDigits in [1, 2, 9, 18, 20] {
                let text = String(value)
                let expected = String(repeating: "0", count: max(0, minimumDigits - text.count)) + text
                var written: [UInt8] = []
                DecimalDigits.appendDigits(value, to: &written, minimumDigits: minimumDigits)
                #expect(String(decoding: written, as: UTF8.self) == expected)
            }
        }
    }
}
