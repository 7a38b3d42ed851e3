import Testing
import WardenCore
import WardenStore
@testable import WardenMetrics

@Suite("Per-user spend bound")
struct UserSpendBoundTests {
    private func row(_ user: String, _ cost: String, _ currency: String = "USD") -> SpendSummary.Row {
        SpendSummary.Row(key: user, currency: currency, cost: try! Money.parse(cost).money, requests: 1)
    }

    @Test func theBiggestUsersOfEachCurrencyAreKeptAndTheRestSummedExactly() {
        let rows = [row("a", "9.00"), row("b", "5.00"), row("x", "4.00", "EUR"), row("c", "0.10"), row("d", "0.20"),
                    row("y", "1.00", "EUR"), row("z", "0.000000000000000001", "EUR")]
        let bounded = UserSpendExposition.bounded(rows, limit: 2)
        #expect(bounded.map(\.key) == ["a", "b", "x", "y", "__other__", "__other__"])
        let others = bounded.filter { $0.key == "__other__" }
        #expect(others.map(\.currency) == ["EUR", "USD"])
        #expect(others[0].cost == (try! Money.parse("0.000000000000000001").money))
        #expect(others[1].cost == (try! Money.parse("0.30").money) && others[1].requests == 2)
    }

    @Test func underTheLimitNothingIsFolded() {
        let rows = [row("a", "1"), row("b", "2")]
        #expect(UserSpendExposition.bounded(rows, limit: 2).map(\.key) == ["a", "b"])
    }
}
