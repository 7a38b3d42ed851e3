import Foundation
import Testing
@testable import WardenCore

/// Measures (never asserts) the limiter's speed. Off by default; run with
/// `TOKENWARDEN_BENCH=1 swift test -c release --filter QuotaBenchmark`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TOKENWARDEN_BENCH"] == "1"))
struct QuotaBenchmarkTests {
    typealias F = QuotaFixtures

    /// Best-of-`rounds` nanoseconds per operation; `work` performs `operations` operations.
    private func nanosecondsPerOperation(operations: Int, rounds: Int = 7, _ work: () -> Void) -> Double {
        work()  // warm up
        var best = Duration.seconds(1_000)
        for _ in 0..<rounds { best = min(best, ContinuousClock().measure(work)) }
        let nanoseconds = Double(best.components.seconds) * 1e9 + Double(best.components.attoseconds) / 1e9
        return nanoseconds / Double(operations)
    }

    @Test func measureAttempts() {
        let operations = 1_000_000
        let rate = F.rate(200_000, per: F.minute, burst: 50_000)
        var allowed = 0
        let single = nanosecondsPerOperation(operations: operations) {
            var limiter = GCRA(rate: rate)
            for i in 0..<operations {
                // 1 ms apart, 100 tokens: mostly admitted, some throttled.
                let decision = limiter.attempt(cost: 100, at: F.at(F.t0 + Int64(i) * 250_000))
                if decision.verdict == .allowed { allowed &+= 1 }
            }
        }
        let keys = (0..<10_000).map { QuotaKey("user-\($0)") }
        let policy = QuotaPolicy(name: "user-tokens", rate: rate, unit: .tokens)
        var table = QuotaTable(policy: policy)
        let tabled = nanosecondsPerOperation(operations: operations) {
            for i in 0..<operations {
                let decision = table.attempt(keys[i % keys.count], cost: 100, at: F.at(F.t0 + Int64(i) * 250_000))
                if decision.verdict == .allowed { allowed &+= 1 }
            }
        }
        let snapshots = nanosecondsPerOperation(operations: operations) {
            for i in 0..<operations {
                allowed &+= Int(table.snapshot(keys[i % keys.count], at: F.at(F.t0 + Int64(i))).remaining & 1)
            }
        }
        print("""
            quota benchmark (\(allowed % 2)):
              GCRA.attempt                       \(String(format: "%.1f", single)) ns/op
              QuotaTable.attempt, 10k scopes     \(String(format: "%.1f", tabled)) ns/op
              QuotaTable.snapshot, 10k scopes    \(String(format: "%.1f", snapshots)) ns/op
            """)
    }
}
