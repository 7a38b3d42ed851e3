import Testing
import WardenCore
import WardenFormats

/// Budgets are checked against the currencies the pricing files price in: spend is never
/// converted, so a limit in another currency could never fill.
@Suite struct RuleSetParserCurrencyTests {
    static let euroBudget = """
        budgets:
          - name: euros
            period: monthly
            limit: "500 EUR"
        """

    static func errors(_ text: String, currencies: Set<String>?) -> [String] {
        do {
            _ = try RuleSetParser.parse(files: [("budgets.yaml", text)], schema: .standard, currencies: currencies,
                                        timeZone: RuleFiles.zone)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aBudgetInACurrencyNoPricingFileUsesIsAnErrorAtItsLimit() {
        let errors = Self.errors(Self.euroBudget, currencies: ["USD"])
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("budgets.yaml:4:12: budgets[0].limit: no pricing file prices in EUR (they price in USD)") == true,
                "\(errors)")
    }

    @Test func aBudgetInAPricedCurrencyLoads() {
        #expect(Self.errors(Self.euroBudget, currencies: ["USD", "EUR"]).isEmpty)
    }

    @Test func aListLimitIsCheckedTermByTerm() {
        let text = """
            budgets:
              - name: both
                period: monthly
                limit: ["1_000 tokens", "5 GBP"]
            """
        let errors = Self.errors(text, currencies: ["USD"])
        #expect(errors.first?.hasPrefix("budgets.yaml:4:29: budgets[0].limit: no pricing file prices in GBP") == true, "\(errors)")
    }

    @Test func withoutKnownCurrenciesAnyCurrencyLoads() {
        #expect(Self.errors(Self.euroBudget, currencies: nil).isEmpty)
    }
}
