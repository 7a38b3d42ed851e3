/// The time one operation of a CPU-bound loop takes, from several timed rounds of it.
///
/// Reported by the fastest round: on a shared machine other tenants' work only ever adds time to
/// a CPU-bound loop, so the fastest round is the closest estimate of the code's own cost. The
/// median round is kept beside it to show how noisy the run was.
struct OperationTiming {
    /// Seconds per operation in the fastest round.
    var fastest: Double
    /// Seconds per operation in the median round.
    var median: Double

    /// Runs `round` once untimed (caches, allocator), then `rounds` times timed; each call of
    /// `round` performs `operations` operations.
    static func measure(rounds: Int = 7, operations: Int, _ round: () throws -> Void) rethrows -> OperationTiming {
        try round()
        var perOperation: [Double] = []
        for _ in 0..<max(1, rounds) {
            let started = ContinuousClock.now
            try round()
            perOperation.append((ContinuousClock.now - started).seconds / Double(operations))
        }
        perOperation.sort()
        return OperationTiming(fastest: perOperation[0], median: perOperation[perOperation.count / 2])
    }

    /// `"123 ns/<unit> (median 130)"`.
    func nanoseconds(per unit: String) -> String {
        "\(Format.nanoseconds(fastest)) ns/\(unit) (median \(Format.nanoseconds(median)))"
    }
}

extension Format {
    /// Seconds as whole nanoseconds, with one decimal below 100 ns.
    static func nanoseconds(_ seconds: Double) -> String {
        let nanoseconds = seconds * 1e9
        return nanoseconds < 100 ? String(format: "%.1f", nanoseconds) : String(format: "%.0f", nanoseconds)
    }
}
