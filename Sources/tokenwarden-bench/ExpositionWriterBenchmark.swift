import WardenMetrics

/// The exposition writer alone, in process: 100,000 series of four labels written as one
/// OpenMetrics family, the way a collector writes them, without the ledger or the route around it
/// (``RenderBenchmark`` measures the whole `/metrics` render).
///
/// The baseline is the common case, integer counters; the other rows show what fractional values
/// (shortest-digits rendering), an extra label given per sample, and gzip level 1 add to it.
struct ExpositionWriterBenchmark {
    enum Scenario: String, CaseIterable {
        case integerValues = "UInt64 values"
        case fractionalValues = "Double values"
        case extraLabel = "UInt64 values + extra label tuple"
        case integerValuesGzipped = "UInt64 values + gzip level 1"
    }

    static let series = 100_000

    func run(into table: inout ResultTable) {
        let labels = (0..<Self.series).map { index in
            LabelPairs([("org", "org-\(index % 10)"), ("team", "team-\(index % 100)"),
                        ("project", "project-\(index % 1000)"), ("agent", "agent-\(index)")])
        }
        let integers = (0..<Self.series).map { UInt64($0) &* 7919 }
        let fractions = (0..<Self.series).map { Double($0) * 0.000123 + 0.5 }
        var baseline: OperationTiming?
        for scenario in Scenario.allCases {
            let name = "exposition writer: \(Format.count(Self.series)) series, \(scenario.rawValue) (in-process)"
            var capacity = 0
            var bytes = 0
            let timing = OperationTiming.measure(rounds: 20, operations: Self.series) {
                var writer = ExpositionWriter(format: .openMetrics, reservingCapacity: capacity)
                writer.family("tokenwarden_tokens_total", type: .counter, help: "LLM tokens used.")
                switch scenario {
                case .integerValues, .integerValuesGzipped:
                    for index in labels.indices { writer.sample("tokenwarden_tokens_total", labels[index], integers[index]) }
                case .fractionalValues:
                    for index in labels.indices { writer.sample("tokenwarden_tokens_total", labels[index], fractions[index]) }
                case .extraLabel:
                    for index in labels.indices {
                        writer.sample("tokenwarden_tokens_total", labels[index], extra: ("kind", "input"), integers[index])
                    }
                }
                capacity = writer.byteCount + 64
                let output = writer.finish()
                bytes = scenario == .integerValuesGzipped ? Gzip.compress(output, level: 1).count : output.count
            }
            guard bytes > 0 else {
                table.failed(name, BenchError("the writer produced no bytes"))
                continue
            }
            let base = baseline ?? timing
            baseline = base
            table.add(.init(metric: name,
                            value: "\(Format.seconds(timing.fastest * Double(Self.series))) = \(timing.nanoseconds(per: "series"))",
                            baseline: scenario == .integerValues ? "-" : "\(Format.nanoseconds(base.fastest)) ns/series",
                            ratio: scenario == .integerValues ? "-" : Format.ratio(timing.fastest / base.fastest)))
            table.note("exposition writer, \(scenario.rawValue): \(Format.bytes(bytes)) for \(Self.series) series")
        }
    }
}
