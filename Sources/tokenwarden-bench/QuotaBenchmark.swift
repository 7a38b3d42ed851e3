import WardenCore

/// The rate limiter in process: one ``GCRA`` cell, and a ``QuotaTable`` of 10,000 scopes (a
/// quota per user), for an attempt and for the read-only snapshot the check's headers use.
///
/// The single cell is the baseline: the table's ratio to it is the cost of finding the scope.
struct QuotaBenchmark {
    static let operations = 1_000_000
    static let second: Int64 = 1_000_000_000
    /// 2023-11-14T22:13:20Z.
    static let start: Int64 = 1_700_000_000 * second

    func run(into table: inout ResultTable) {
        do {
            let rate = try QuotaRate(limit: 200_000, window: 60 * Self.second, burst: 50_000)
            var allowed = 0
            // 100 tokens every 0.25 ms: mostly admitted, some throttled.
            func at(_ index: Int) -> Timestamp { Timestamp(nanosecondsSinceEpoch: Self.start + Int64(index) * 250_000) }
            let single = OperationTiming.measure(operations: Self.operations) {
                var limiter = GCRA(rate: rate)
                for index in 0..<Self.operations where limiter.attempt(cost: 100, at: at(index)).verdict == .allowed {
                    allowed &+= 1
                }
            }
            let keys = (0..<10_000).map { QuotaKey("user-\($0)") }
            var quotas = QuotaTable(policy: QuotaPolicy(name: "user-tokens", rate: rate, unit: .tokens))
            let tabled = OperationTiming.measure(operations: Self.operations) {
                for index in 0..<Self.operations
                where quotas.attempt(keys[index % keys.count], cost: 100, at: at(index)).verdict == .allowed {
                    allowed &+= 1
                }
            }
            let snapshots = OperationTiming.measure(operations: Self.operations) {
                for index in 0..<Self.operations {
                    allowed &+= Int(quotas.snapshot(keys[index % keys.count], at: at(index)).remaining & 1)
                }
            }
            guard allowed > 0 else { throw BenchError("no attempt was allowed: the benchmark quota is wrong") }
            let baseline = "GCRA.attempt \(Format.nanoseconds(single.fastest)) ns/op"
            table.add(.init(metric: "quota: GCRA.attempt, one cell (in-process)", value: single.nanoseconds(per: "op")))
            table.add(.init(metric: "quota: QuotaTable.attempt, 10k scopes (in-process)", value: tabled.nanoseconds(per: "op"),
                            baseline: baseline, ratio: Format.ratio(tabled.fastest / single.fastest)))
            table.add(.init(metric: "quota: QuotaTable.snapshot, 10k scopes (in-process)", value: snapshots.nanoseconds(per: "op"),
                            baseline: baseline, ratio: Format.ratio(snapshots.fastest / single.fastest)))
        } catch {
            table.failed("quota (in-process)", error)
        }
    }
}
