import Testing
import WardenCore

@Suite struct BudgetLimitTests {
    @Test func aMoneyLimitIsAnExactAmountAndACurrency() throws {
        let limit = try BudgetLimit.parseTerm("20000.00 USD")
        #expect(limit.money?.amount == (try Money(exactly: "20000")))
        #expect(limit.money?.currency == "USD")
        #expect(limit.tokens == nil)
    }

    @Test func aTokenLimitAcceptsUnderscores() throws {
        #expect(try BudgetLimit.parseTerm("5_000_000 tokens").tokens == 5_000_000)
    }

    @Test func bothKindsCombineButNotTwiceTheSame() throws {
        let both = try BudgetLimit.parseTerm("5000 USD").merging(try BudgetLimit.parseTerm("2_000_000 tokens"))
        #expect(both.description == "5000 USD and 2000000 tokens")
        #expect(throws: BudgetLimit.ParseError.self) { try both.merging(try BudgetLimit.parseTerm("1 EUR")) }
    }

    @Test func badLimitsSayWhatIsExpected() {
        for text in ["5000", "5000 dollars", "-5 USD", "0 tokens", "1.5 tokens", "5000 usd"] {
            #expect(throws: BudgetLimit.ParseError.self, "\(text)") { try BudgetLimit.parseTerm(text) }
        }
    }
}

@Suite struct ThresholdPercentTests {
    @Test func percentagesParseExactly() throws {
        #expect(try ThresholdPercent(parsing: "50%").millionths == 50_000_000)
        #expect(try ThresholdPercent(parsing: "12.5%").description == "12.5%")
        #expect(try ThresholdPercent(parsing: "120%") > (try ThresholdPercent(parsing: "100%")))
    }

    @Test func aStepAtOneHundredPercentStartsExactlyAtTheLimit() throws {
        let limit = try Money(exactly: "20000.00")
        #expect(try ThresholdPercent(parsing: "100%").amount(of: limit) == limit)
        #expect(try ThresholdPercent(parsing: "80%").amount(of: limit) == (try Money(exactly: "16000")))
    }

    @Test func fractionalThresholdAmountsRoundUpToTheAtto() throws {
        let limit = Money(attos: 3)
        #expect(try ThresholdPercent(parsing: "50%").amount(of: limit) == Money(attos: 2))
        #expect(try ThresholdPercent(parsing: "50%").tokens(of: 3) == 2)
    }

    @Test func aStepBeyondTheLargestAmountStartsAtTheBoundInsteadOfOverflowing() throws {
        let highest = try ThresholdPercent(parsing: "10000%")
        #expect(highest.amount(of: try Money(exactly: "1000000000000000000")) == .maximum)
        #expect(highest.tokens(of: .max) == .max)
    }

    @Test func aRolloverShareOfTheLargestAmountIsExactInsteadOfOverflowing() throws {
        #expect(try ThresholdPercent(parsing: "50%").amountRoundedDown(of: .maximum) == Money(attos: Int128.max / 2))
        #expect(try ThresholdPercent(parsing: "100%").amountRoundedDown(of: .maximum) == .maximum)
    }

    @Test func invalidPercentagesAreRejected() {
        for text in ["50", "0%", "-5%", "abc%", "10001%", "1.0000001%"] {
            #expect(throws: ThresholdPercent.ParseError.self, "\(text)") { try ThresholdPercent(parsing: text) }
        }
    }
}

@Suite struct ScopeMatcherTests {
    let request = Attribution(["org": "acme", "team": "search-eu", "user": "u1"])

    @Test func equalityRequiresEveryNamedLabel() {
        #expect(ScopeMatcher([("org", .equals("acme"))]).matches(request))
        #expect(!ScopeMatcher([("org", .equals("acme")), ("team", .equals("ads"))]).matches(request))
        #expect(!ScopeMatcher([("agent", .equals("a1"))]).matches(request))
    }

    @Test func aWildcardRequiresPresenceOnly() {
        #expect(ScopeMatcher([("user", .present)]).matches(request))
        #expect(!ScopeMatcher([("agent", .present)]).matches(request))
    }

    @Test func aRegexMatchesTheWholeValue() throws {
        #expect(ScopeMatcher([("team", .matches(pattern: "search-.*", regex: try AnchoredPattern("search-.*")))]).matches(request))
        #expect(!ScopeMatcher([("team", .matches(pattern: "search", regex: try AnchoredPattern("search")))]).matches(request))
    }

    @Test func anEmptyScopeMatchesEverything() {
        #expect(ScopeMatcher.everything.matches(Attribution()))
    }
}
