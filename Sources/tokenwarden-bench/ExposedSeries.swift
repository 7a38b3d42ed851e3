import WardenCore
import WardenMetrics
import WardenHTTP
import WardenRuntime

/// How many ledger label sets a `/metrics` of N exposed time series takes.
///
/// Why this exists: the target ("100k series in under 150 ms") speaks Prometheus' language, where a
/// series is one metric name plus one label set — one sample line. A ledger label set (provider,
/// model, org, team, project, agent) exposes several of them (`tokens_total` per kind, `cost_total`
/// per currency, `requests_total`, …), so a ledger of 100k label sets is ~700k series. The ratio is
/// measured here, by rendering a ledger of one label set and one of none, rather than written down,
/// so a new per-label-set family moves the benchmark with it.
struct ExposedSeries {
    /// Sample lines each label set adds.
    let perLabelSet: Int
    /// Sample lines of an empty ledger (the fixed families: histograms, build info, process_*).
    let fixed: Int

    static func measure() throws -> ExposedSeries {
        func samples(labelSets: Int) throws -> Int {
            let ledger = try RenderProbeCommand.buildLedger(labelSets: labelSets)
            let route = MetricsRoute(version: "bench", ledger: LedgerExposition(ledger: LiveLedger(ledger)),
                                     ingestDuration: Histogram())
            return ExpositionSum.sampleCount(in: route.render(format: .prometheusText))
        }
        let empty = try samples(labelSets: 0)
        let one = try samples(labelSets: 1)
        guard one > empty else { throw BenchError("a label set adds no samples to /metrics") }
        return ExposedSeries(perLabelSet: one - empty, fixed: empty)
    }

    /// The fewest label sets whose exposition has at least `series` sample lines.
    func labelSets(forSeries series: Int) -> Int {
        max(1, (series - fixed + perLabelSet - 1) / perLabelSet)
    }

    func series(forLabelSets labelSets: Int) -> Int { fixed + labelSets * perLabelSet }
}
