import Testing
import WardenMetrics

@Suite struct ExpositionWriterTests {
    private func render(_ format: ExpositionFormat, _ body: (inout ExpositionWriter) -> Void) -> String {
        var writer = ExpositionWriter(format: format)
        body(&writer)
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    @Test func emptyLabelSetHasNoBraces() {
        let text = render(.prometheusText) { $0.family("up", type: .gauge, help: "Up."); $0.sample("up", .empty, 1) }
        #expect(text.hasSuffix("\nup 1\n"))
    }

    @Test func counterWithoutTotalSuffixGetsItOnOpenMetricsSamplesOnly() {
        let body: (inout ExpositionWriter) -> Void = { $0.family("jobs", type: .counter, help: ""); $0.sample("jobs", .empty, 4) }
        #expect(render(.openMetrics, body) == "# TYPE jobs counter\njobs_total 4\n# EOF\n")
        #expect(render(.prometheusText, body) == "# TYPE jobs counter\njobs 4\n")
    }

    @Test func infoWithoutInfoSuffixGetsItOnOpenMetricsSamples() {
        let body: (inout ExpositionWriter) -> Void = { $0.family("build", type: .info, help: ""); $0.info("build", LabelPairs([("v", "1")])) }
        #expect(render(.openMetrics, body) == "# TYPE build info\nbuild_info{v=\"1\"} 1\n# EOF\n")
        #expect(render(.prometheusText, body) == "# TYPE build gauge\nbuild{v=\"1\"} 1\n")
    }

    @Test func unitIsWrittenOnlyWhenItIsTheNameSuffix() {
        let text = render(.openMetrics) { writer in
            writer.family("queue_size", type: .gauge, help: "", unit: "bytes")
            writer.family("queue_bytes", type: .gauge, help: "", unit: "bytes")
            writer.family("wait_seconds_total", type: .counter, help: "", unit: "seconds")
        }
        #expect(text == "# TYPE queue_size gauge\n# TYPE queue_bytes gauge\n# UNIT queue_bytes bytes\n# TYPE wait_seconds counter\n# UNIT wait_seconds seconds\n# EOF\n")
    }

    @Test func infoFamiliesNeverGetAUnit() {
        let text = render(.openMetrics) { $0.family("disk_bytes_info", type: .info, help: "", unit: "bytes") }
        #expect(text == "# TYPE disk_bytes info\n# EOF\n")
    }

    @Test func prometheusTextHasNoUnitLine() {
        let text = render(.prometheusText) { $0.family("queue_bytes", type: .gauge, help: "Size.", unit: "bytes") }
        #expect(text == "# HELP queue_bytes Size.\n# TYPE queue_bytes gauge\n")
    }

    @Test func helpEscapesQuotesOnlyInOpenMetrics() {
        let help = "say \"hi\" \\ bye\nnow"
        #expect(render(.prometheusText) { $0.family("g", type: .gauge, help: help) }
            == "# HELP g say \"hi\" \\\\ bye\\nnow\n# TYPE g gauge\n")
        #expect(render(.openMetrics) { $0.family("g", type: .gauge, help: help) }
            == "# TYPE g gauge\n# HELP g say \\\"hi\\\" \\\\ bye\\nnow\n# EOF\n")
    }

    @Test func extraLabelFollowsSeriesLabelsAndIsEscaped() {
        let text = render(.prometheusText) { writer in
            writer.sample("t_total", LabelPairs([("org", "a")]), extra: ("kind", "in\"put"), UInt64(7))
            writer.sample("t_total", .empty, extra: ("kind", "output"), 2.5)
            writer.sample("t_total", .empty, extra: ("kind", "cache"), Int64(-3))
            writer.sample("t_total", .empty, extra: ("kind", "other"), 4)
        }
        #expect(text == "t_total{org=\"a\",kind=\"in\\\"put\"} 7\nt_total{kind=\"output\"} 2.5\nt_total{kind=\"cache\"} -3\nt_total{kind=\"other\"} 4\n")
    }

    @Test func preRenderedExtraLabelsFollowSeriesLabels() {
        let input = LabelPairs([("kind", "input")])
        let text = render(.prometheusText) { writer in
            writer.sample("t_total", LabelPairs([("org", "a")]), extra: input, UInt64(7))
            writer.sample("t_total", .empty, extra: input, Int64(-1))
            writer.sample("t_total", LabelPairs([("org", "a")]), extra: .empty, 0.5)
            writer.sample("t_total", .empty, extra: input, 8)
        }
        #expect(text == "t_total{org=\"a\",kind=\"input\"} 7\nt_total{kind=\"input\"} -1\nt_total{org=\"a\"} 0.5\nt_total{kind=\"input\"} 8\n")
    }

    @Test func integersAreWrittenExactly() {
        let text = render(.prometheusText) { writer in
            writer.sample("a", .empty, Int64.min)
            writer.sample("b", .empty, Int64.max)
            writer.sample("c", .empty, UInt64.max)
            writer.sample("d", .empty, 0)
            writer.sample("e", .empty, -42)
        }
        #expect(text == "a -9223372036854775808\nb 9223372036854775807\nc 18446744073709551615\nd 0\ne -42\n")
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-1.0, "-1"), (0.5, "0.5"), (0.1 + 0.2, "0.30000000000000004"),
        (1e-05, "1e-05"), (0.0001, "0.0001"), (123_456_789.0, "123456789"), (1e16, "10000000000000000"),
        (9.2e18, "9200000000000000000"), (1e19, "1e+19"), (1.5e300, "1.5e+300"), (-2.5e-300, "-2.5e-300"),
        (Double.leastNonzeroMagnitude, "5e-324"), (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func doublesAreShortestRoundTripIntegersWithoutExponent(value: Double, text: String) {
        #expect(render(.prometheusText) { $0.sample("v", .empty, value) } == "v \(text)\n")
    }

    /// The examples of OpenMetrics 1.0 "Canonical Numbers", plus zero and negatives (Go's %g).
    @Test func bucketBoundsUseOpenMetricsCanonicalNumbersInBothFormats() {
        let bounds = [-1_234_567.0, -1.5, 0, 1e-10, 1e-09, 1e-05, 0.0001, 0.001, 0.002, 0.01, 0.1, 0.9, 0.95, 0.99, 0.999,
                      1, 1.7, 10, 100_000, 123_456, 1e+06, 1_234_567, 1e+10]
        let expected = ["-1.234567e+06", "-1.5", "0.0", "1e-10", "1e-09", "1e-05", "0.0001", "0.001", "0.002", "0.01", "0.1", "0.9",
                        "0.95", "0.99", "0.999", "1.0", "1.7", "10.0", "100000.0", "123456.0", "1e+06", "1.234567e+06", "1e+10", "+Inf"]
        let snapshot = HistogramSnapshot(upperBounds: bounds, cumulativeCounts: Array(repeating: 0, count: bounds.count + 1), sum: 0)
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            let text = render(format) { $0.histogram("h", .empty, snapshot) }
            let les = text.split(separator: "\n").filter { $0.hasPrefix("h_bucket") }.map { line in
                String(line.split(separator: "\"")[1])
            }
            #expect(les == expected, "\(format)")
        }
    }

    @Test func emptyHistogramLabelsStillGetLe() {
        let text = render(.prometheusText) { $0.histogram("h", .empty, HistogramSnapshot(upperBounds: [], cumulativeCounts: [0], sum: 0)) }
        #expect(text == "h_bucket{le=\"+Inf\"} 0\nh_sum 0\nh_count 0\n")
    }

    @Test func eofEndsOnlyOpenMetrics() {
        #expect(render(.openMetrics) { _ in } == "# EOF\n")
        #expect(render(.prometheusText) { _ in } == "")
    }

    @Test func finishEmptiesTheWriterForTheNextScrape() {
        var writer = ExpositionWriter(format: .openMetrics, reservingCapacity: 1024)
        writer.family("up", type: .gauge, help: "")
        writer.sample("up", .empty, 1)
        #expect(writer.byteCount == "# TYPE up gauge\nup 1\n".utf8.count)
        _ = writer.finish()
        #expect(writer.byteCount == 0)
        writer.family("up", type: .gauge, help: "")
        #expect(String(decoding: writer.finish(), as: UTF8.self) == "# TYPE up gauge\n# EOF\n")
    }

    #if DEBUG
    /// Both formats forbid interleaved families; the check is an `assert`, so it costs nothing in
    /// release builds.
    @Test func repeatedFamilyTrapsInDebugBuilds() async {
        await #expect(processExitsWith: .failure) {
            var writer = ExpositionWriter(format: .openMetrics)
            writer.family("a_total", type: .counter, help: "")
            writer.family("b", type: .gauge, help: "")
            writer.family("a_total", type: .counter, help: "")
        }
    }
    #endif

    @Test func invalidMetricNameTraps() async {
        await #expect(processExitsWith: .failure) {
            var writer = ExpositionWriter(format: .prometheusText)
            writer.family("tokens-total", type: .counter, help: "")
        }
    }
}
