import Foundation
import Testing
import WardenMetrics

/// A measurement, not an assertion: render time for 100,000 series with 4 labels each.
/// Run with `TOKENWARDEN_BENCH=1 swift test -c release --filter RenderBenchmark`; a debug build
/// is several times slower and says nothing about production.
@Suite struct RenderBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TOKENWARDEN_BENCH"] == "1"))
    func render100kSeriesWithFourLabels() {
        for scenario in RenderBenchmark.Scenario.allCases {
            let result = RenderBenchmark.run(scenario, series: 100_000)
            print(result)
            #expect(result.bytes > 0)
        }
    }
}

enum RenderBenchmark {
    struct Result: CustomStringConvertible {
        var scenario: Scenario
        var series: Int
        var bytes: Int
        var best: Duration
        var median: Duration
        var description: String {
            "\(scenario.rawValue): \(series) series, \(bytes) bytes, best \(best), median \(median) over 20 runs"
        }
    }

    enum Scenario: String, CaseIterable {
        /// Integer counters (token counts): the common case.
        case integerValues = "UInt64 values"
        /// Non-integral doubles (spend in dollars): Swift's shortest-digits rendering per sample.
        case fractionalValues = "Double values"
        /// An extra `kind` label given as a tuple, escaped on every sample.
        case extraLabel = "UInt64 values + extra label tuple"
        /// Integer counters, then gzip level 1 of the result.
        case integerValuesGzipped = "UInt64 values + gzip level 1"
    }

    static func run(_ scenario: Scenario, series count: Int) -> Result {
        let series = (0..<count).map { index in
            LabelPairs([("org", "org-\(index % 10)"), ("team", "team-\(index % 100)"),
                        ("project", "project-\(index % 1000)"), ("agent", "agent-\(index)")])
        }
        let integers = (0..<count).map { UInt64($0) &* 7919 }
        let fractions = (0..<count).map { Double($0) * 0.000123 + 0.5 }
        var capacity = 0
        var times: [Duration] = []
        var bytes = 0
        let clock = ContinuousClock()
        for _ in 0..<20 {
            let elapsed = clock.measure {
                var writer = ExpositionWriter(format: .openMetrics, reservingCapacity: capacity)
                writer.family("tokenwarden_tokens_total", type: .counter, help: "LLM tokens used.")
                switch scenario {
                case .integerValues, .integerValuesGzipped:
                    for index in series.indices { writer.sample("tokenwarden_tokens_total", series[index], integers[index]) }
                case .fractionalValues:
                    for index in series.indices { writer.sample("tokenwarden_tokens_total", series[index], fractions[index]) }
                case .extraLabel:
                    for index in series.indices { writer.sample("tokenwarden_tokens_total", series[index], extra: ("kind", "input"), integers[index]) }
                }
                capacity = writer.byteCount + 64
                let output = writer.finish()
                bytes = scenario == .integerValuesGzipped ? Gzip.compress(output, level: 1).count : output.count
            }
            times.append(elapsed)
        }
        times.sort()
        return Result(scenario: scenario, series: count, bytes: bytes, best: times[0], median: times[times.count / 2])
    }
}
