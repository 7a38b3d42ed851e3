import Testing
@testable import WardenCore

/// What an override's change says and does to a limit, exactly.
@Suite struct OverrideChangeTests {
    typealias F = EngineFixtures

    @Test func aPlusAmountRaisesAndAPlainAmountSets() throws {
        #expect(try OverrideChange(parsing: "+500.00 USD") == .raise(.money(F.money("500"), currency: "USD")))
        #expect(try OverrideChange(parsing: "+2_000_000 tokens") == .raise(.tokens(2_000_000)))
        #expect(try OverrideChange(parsing: "300.00 USD") == .set(.money(F.money("300"), currency: "USD")))
        #expect(try OverrideChange(parsing: " exempt ") == .exempt)
    }

    @Test func theCanonicalTextKeepsCentsAndParsesBack() throws {
        for text in ["+500.00 USD", "300.50 USD", "+0.125 EUR", "+2000000 tokens", "exempt"] {
            let change = try OverrideChange(parsing: text)
            #expect(change.description == text)
            #expect(try OverrideChange(parsing: change.description) == change)
        }
        #expect(try OverrideChange(parsing: "+500 USD").description == "+500.00 USD")
    }

    @Test func aMalformedChangeSaysWhatIsAccepted() {
        for text in ["", "+", "500", "+-5 USD", "+5 usd", "everything", "+0 tokens", "-5.00 USD"] {
            #expect(throws: OverrideChange.ParseError.self, "\(text)") { try OverrideChange(parsing: text) }
        }
        do throws(OverrideChange.ParseError) {
            _ = try OverrideChange(parsing: "lots")
            Issue.record("parsed")
        } catch {
            #expect(error.message.contains("\"exempt\""))
        }
    }

    @Test func theUnitMustBeOneTheBudgetLimits() throws {
        let usdAndTokens = BudgetLimit(money: .init(amount: F.money("100"), currency: "USD"), tokens: 1_000)
        #expect(try OverrideChange(parsing: "+5.00 USD").problem(for: usdAndTokens) == nil)
        #expect(try OverrideChange(parsing: "+5 tokens").problem(for: usdAndTokens) == nil)
        #expect(try OverrideChange(parsing: "exempt").problem(for: F.usd("1")) == nil)
        let problem = try OverrideChange(parsing: "+5.00 EUR").problem(for: usdAndTokens)
        #expect(problem == "the budget limits USD and tokens; a change in EUR does not apply to it")
        #expect(try OverrideChange(parsing: "+5 tokens").problem(for: F.usd("1")) != nil)
    }

    @Test func aRaiseAddsASetReplacesAndEachLeavesTheOtherUnit() throws {
        let limit = UsageAmount(money: F.money("100"), tokens: 1_000)
        #expect(try OverrideChange(parsing: "+0.01 USD").applied(to: limit) == UsageAmount(money: F.money("100.01"), tokens: 1_000))
        #expect(try OverrideChange(parsing: "30 USD").applied(to: limit) == UsageAmount(money: F.money("30"), tokens: 1_000))
        #expect(try OverrideChange(parsing: "+500 tokens").applied(to: limit) == UsageAmount(money: F.money("100"), tokens: 1_500))
        #expect(try OverrideChange(parsing: "200 tokens").applied(to: limit) == UsageAmount(money: F.money("100"), tokens: 200))
        #expect(OverrideChange.exempt.applied(to: limit) == limit)
        let huge = UsageAmount(money: .zero, tokens: .max - 1)
        #expect(try OverrideChange(parsing: "+5 tokens").applied(to: huge).tokens == .max, "saturates, never wraps")
    }

    @Test func onlyRaisesStrictlyBelowTheThresholdOfTheirUnitApproveThemselves() throws {
        let settings = GovernanceSettings(autoApproveBelow: BudgetLimit(money: .init(amount: F.money("100"), currency: "USD"), tokens: 1_000_000))
        #expect(settings.approvesAutomatically(try OverrideChange(parsing: "+99.99 USD")))
        #expect(!settings.approvesAutomatically(try OverrideChange(parsing: "+100.00 USD")))
        #expect(settings.approvesAutomatically(try OverrideChange(parsing: "+999999 tokens")))
        #expect(!settings.approvesAutomatically(try OverrideChange(parsing: "+5.00 EUR")))
        #expect(!settings.approvesAutomatically(try OverrideChange(parsing: "5.00 USD")), "setting a limit always needs an approver")
        #expect(!settings.approvesAutomatically(.exempt))
        #expect(!GovernanceSettings().approvesAutomatically(try OverrideChange(parsing: "+0.01 USD")), "four eyes by default")
    }
}
