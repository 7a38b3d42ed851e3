import PropertyBased
import Testing
import WardenMetrics

/// The exposition checked by the parsers that read it in production: Prometheus (promtool) and
/// prometheus_client (Python). Each reads the bytes back, and the values it reads must be exactly
/// the ones written.
@Suite struct ExternalParserTests {
    // MARK: Realistic exposition

    @Test func prometheusTextPassesPromtoolCheckMetrics() throws {
        let result = try ExternalTools.promtoolCheckMetrics(RealisticExposition.render(.prometheusText))
        #expect(result.status == 0, "promtool check metrics: \(result.stdoutText)\(result.stderrText)")
        #expect(result.stdoutText.isEmpty && result.stderrText.isEmpty, "lint findings: \(result.stdoutText)\(result.stderrText)")
    }

    @Test func prometheusTextReadsBackExactlyInPythonClient() throws {
        let families = try ExternalTools.pythonParse(RealisticExposition.render(.prometheusText), format: .text)
        let expected = RealisticExposition.expected
        #expect(families.map(\.name) == expected.map(\.textName))
        #expect(families.map(\.type) == expected.map(\.textType))
        #expect(families.map(\.help) == expected.map(\.help))
        for (family, expectedFamily) in zip(families, expected) {
            expectSamples(family.samples, equal: expectedFamily.samples, in: family.name)
        }
    }

    @Test func openMetricsReadsBackExactlyInPythonClient() throws {
        let families = try ExternalTools.pythonParse(RealisticExposition.render(.openMetrics), format: .openmetrics)
        let expected = RealisticExposition.expected
        #expect(families.map(\.name) == expected.map(\.openMetricsName))
        #expect(families.map(\.type) == expected.map(\.openMetricsType))
        #expect(families.map(\.unit) == expected.map(\.unit))
        #expect(families.map(\.help) == expected.map(\.help))
        for (family, expectedFamily) in zip(families, expected) {
            expectSamples(family.samples, equal: expectedFamily.samples, in: family.name)
        }
    }

    /// promtool's `check metrics` cannot read OpenMetrics (see ``ExternalTools/promtoolCheckMetrics(_:)``),
    /// so OpenMetrics goes through Prometheus's own OpenMetrics parser via the TSDB backfill.
    @Test func openMetricsReadsBackExactlyInPrometheus() throws {
        let dumped = try ExternalTools.prometheusOpenMetricsRoundTrip(RealisticExposition.render(.openMetrics))
        let stored = Set(dumped.compactMap(DumpedSample.init(dumpLine:)))
        #expect(stored.count == dumped.count, "unreadable dump lines: \(dumped)")
        let expected = Set(RealisticExposition.expected.flatMap(\.samples).map(DumpedSample.init(storing:)))
        #expect(stored == expected, "missing: \(expected.subtracting(stored)), unexpected: \(stored.subtracting(expected))")
    }

    // MARK: Hostile label values

    /// Characters that have broken exposition writers: the three escaped ones, other control
    /// characters (CR, tab, NUL, DEL, NEL), line/paragraph separators, syntax characters, and
    /// multi-byte UTF-8.
    static let hostileCharacter = Gen<Character?>.element(of: [
        "\\", "\"", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{7F}", "\u{85}", "\u{2028}", "\u{FEFF}",
        "{", "}", "=", ",", " ", "#", "'", "a", "Z", "0", "é", "e\u{301}", "日", "🦀",
    ] as [Character]).map { $0! }

    static let hostileValue = hostileCharacter.string(of: 0...12)

    @Test func hostileLabelValuesReadBackExactlyInEveryParser() async {
        await propertyCheck(count: 8, input: Self.hostileValue.array(of: 1...25)) { values in
            let text = Self.renderGauge(values, format: .prometheusText)
            let openMetrics = Self.renderGauge(values, format: .openMetrics)
            do {
                let check = try ExternalTools.promtoolCheckMetrics(text)
                #expect(check.status == 0, "promtool check metrics: \(check.stdoutText)\(check.stderrText)")

                for (format, exposition) in [(ExpositionFormatName.text, text), (.openmetrics, openMetrics)] {
                    let samples = try ExternalTools.pythonParse(exposition, format: format).flatMap(\.samples)
                    #expect(samples.map { $0.labels["value"] ?? "<absent>" } == values, "\(format)")
                    #expect(samples.map(\.value) == values.indices.map(Double.init), "\(format)")
                }

                let stored = try ExternalTools.prometheusOpenMetricsRoundTrip(openMetrics).compactMap(DumpedSample.init(dumpLine:))
                let expected = values.enumerated().map { index, value in
                    DumpedSample(name: "hostile", labels: value.isEmpty ? ["id": "\(index)"] : ["id": "\(index)", "value": value], value: Double(index))
                }
                #expect(Set(stored) == Set(expected))
            } catch {
                Issue.record(error)
            }
        }
    }

    @Test func hostileHelpTextReadsBackExactlyInPythonClient() async {
        await propertyCheck(count: 8, input: Self.hostileValue) { value in
            for format in [ExpositionFormat.prometheusText, .openMetrics] {
                // Leading blanks are not part of the help text in either grammar, so the text starts
                // with a letter. prometheus_client's 0.0.4 parser also strips every line's trailing
                // whitespace (`line.strip()`, which counts CR, NEL and U+2028), so there the text ends
                // with a letter too.
                let help = format == .prometheusText ? "h" + value + "h" : "h" + value
                var writer = ExpositionWriter(format: format)
                writer.family("documented", type: .gauge, help: help)
                writer.sample("documented", .empty, 1)
                let exposition = writer.finish()
                do {
                    let families = try ExternalTools.pythonParse(exposition, format: format == .openMetrics ? .openmetrics : .text)
                    #expect(families.map(\.help) == [help], "\(format)")
                    if format == .prometheusText {
                        let check = try ExternalTools.promtoolCheckMetrics(exposition)
                        #expect(check.status == 0, "promtool check metrics: \(check.stdoutText)\(check.stderrText)")
                    }
                } catch {
                    Issue.record(error)
                }
            }
        }
    }

    // MARK: Numbers

    /// Any double, from its bits: NaN, infinities, subnormals, every magnitude.
    static let anyDouble = Gen<UInt64>.value().map { Double(bitPattern: $0) }

    @Test func sampleValuesReadBackExactlyInPythonClient() async {
        await propertyCheck(count: 5, input: Self.anyDouble.array(of: 50...200)) { values in
            for format in [ExpositionFormat.prometheusText, .openMetrics] {
                var writer = ExpositionWriter(format: format)
                writer.family("value", type: .gauge, help: "Any double.")
                for (index, value) in values.enumerated() {
                    writer.sample("value", LabelPairs([("index", "\(index)")]), value)
                }
                do {
                    let samples = try ExternalTools.pythonParse(writer.finish(), format: format == .openMetrics ? .openmetrics : .text)
                        .flatMap(\.samples)
                    #expect(samples.count == values.count)
                    for (sample, value) in zip(samples, values) {
                        #expect(sample.hasValue(value), "\(format): wrote \(value), read \(sample.value)")
                    }
                } catch {
                    Issue.record(error)
                }
            }
        }
    }

    /// OpenMetrics' canonical numbers for `le`, as prometheus_client renders them (`floatToGoString`,
    /// which matches Go's rendering for positive numbers, the only ones it cares about).
    @Test func bucketBoundsRenderAsPythonClientCanonicalNumbers() async {
        let positive = Gen<UInt64>.value(in: 1...0x7FEF_FFFF_FFFF_FFFF).map { Double(bitPattern: $0) }
        let moderate = Gen<Int>.value(in: 1...100_000_000_000).map { Double($0) / 1000 }
        await propertyCheck(count: 4, input: positive.array(of: 50...100), moderate.array(of: 50...100)) { wild, tame in
            let bounds = Array(Set(wild + tame)).sorted()
            var writer = ExpositionWriter(format: .openMetrics)
            writer.family("latency_seconds", type: .histogram, help: "Bounds under test.")
            writer.histogram("latency_seconds", .empty, HistogramSnapshot(
                upperBounds: bounds, cumulativeCounts: Array(repeating: 0, count: bounds.count + 1), sum: 0))
            do {
                let les = try ExternalTools.pythonParse(writer.finish(), format: .openmetrics)
                    .flatMap(\.samples).compactMap { $0.labels["le"] }
                #expect(les == (try ExternalTools.pythonCanonicalNumbers(bounds)) + ["+Inf"])
            } catch {
                Issue.record(error)
            }
        }
    }

    // MARK: Helpers

    private static func renderGauge(_ values: [String], format: ExpositionFormat) -> [UInt8] {
        var writer = ExpositionWriter(format: format)
        writer.family("hostile", type: .gauge, help: "Hostile label values.")
        for (index, value) in values.enumerated() {
            writer.sample("hostile", LabelPairs([("id", "\(index)"), ("value", value)]), index)
        }
        return writer.finish()
    }

    private func expectSamples(_ samples: [ParsedSample], equal expected: [ParsedSample], in family: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(samples.map(\.name) == expected.map(\.name), "\(family)", sourceLocation: sourceLocation)
        #expect(samples.map(\.labels) == expected.map(\.labels), "\(family)", sourceLocation: sourceLocation)
        for (sample, expectedSample) in zip(samples, expected) {
            #expect(sample.hasValue(expectedSample.value), "\(sample.name): read \(sample.value), wrote \(expectedSample.value)",
                    sourceLocation: sourceLocation)
        }
    }
}
