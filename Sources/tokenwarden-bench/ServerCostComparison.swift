/// Server CPU per request of one setup against another, measured in alternation: each round runs
/// both (which goes first swaps every round, so neither always meets a warm or a cold machine),
/// on fresh daemons and databases, and the verdict is on the median of the rounds' own ratios.
///
/// Judged on CPU per request, not on throughput: both setups saturate the same two cores shared
/// with wrk, so the rate says little, while CPU-µs per request is the cost a change adds.
struct ServerCostComparison {
    struct Sample {
        var cpuPerRequest: Double
        var rate: Double
    }

    private(set) var candidate: [Sample] = []
    private(set) var reference: [Sample] = []
    private(set) var ratios: [Double] = []

    /// `measure(isCandidate, round)` for both setups, `rounds` times; a round that throws is
    /// reported as `failure` and counts no ratio.
    init(rounds: Int, failure: String, table: inout ResultTable, measure: (_ isCandidate: Bool, _ round: Int) throws -> Sample) {
        for round in 1...max(1, rounds) {
            do {
                for isCandidate in round % 2 == 1 ? [true, false] : [false, true] {
                    let sample = try measure(isCandidate, round)
                    if isCandidate { candidate.append(sample) } else { reference.append(sample) }
                }
                if let new = candidate.last, let old = reference.last { ratios.append(new.cpuPerRequest / old.cpuPerRequest) }
            } catch {
                table.failed("\(failure), round \(round)", error)
            }
        }
    }

    /// The judged row, `metric` against `reference` (`baseline build`, `no auth`; `judgedAgainst`
    /// names it in the target), and a note with the ratio of every round and the median rates.
    func report(into table: inout ResultTable, metric: String, reference name: String, judgedAgainst: String,
                tolerance: Double, note: String) {
        let paired = PairedRounds(ratios)
        guard let median = paired.median,
              let newCPU = PairedRounds.median(of: candidate.map(\.cpuPerRequest)),
              let oldCPU = PairedRounds.median(of: reference.map(\.cpuPerRequest)) else { return }
        table.add(.init(metric: "\(metric): server CPU per request", value: String(format: "%.1f us", newCPU * 1e6),
                        baseline: String(format: "%.1f us (\(name))", oldCPU * 1e6), ratio: Format.ratio(median),
                        target: String(format: "<= %.2fx \(judgedAgainst)", tolerance),
                        verdict: median <= tolerance ? .pass : .miss))
        let newRate = PairedRounds.median(of: candidate.map(\.rate)) ?? 0
        let oldRate = PairedRounds.median(of: reference.map(\.rate)) ?? 0
        table.note("\(note): CPU per request \(paired.byRound); "
                   + "requests/s \(Format.rate(newRate)) against \(Format.rate(oldRate)) (medians)")
    }
}
