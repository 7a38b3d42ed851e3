import WardenMetrics

/// An exposition shaped like TokenWarden's /metrics — build info, counters with `_total`, a unit,
/// gauges, a histogram, process metrics — with label values and help text chosen to break a
/// careless writer.
enum RealisticExposition {
    /// Backslash, double quote, line feed, tab, a brace and a comma, CJK and an emoji.
    static let hostileTeam = "a\\b\"c\nd\t{x},y 日本 🦀"
    static let hostileHelp = "Spend in \"USD\" (C:\\ledger)\nsecond line."

    static let acme = LabelPairs([("org", "acme"), ("team", hostileTeam), ("project", ""), ("agent", "bot\\1")])
    static let other = LabelPairs([("org", "other"), ("team", "ops"), ("project", "p\"q"), ("agent", "")])

    static let durations: HistogramSnapshot = {
        let histogram = Histogram(upperBounds: [0.005, 0.05, 0.5, 1, 2.5, 10])
        for seconds in [0.001, 0.005, 0.02, 0.3, 0.3, 0.75, 2, 30] { histogram.observe(seconds) }
        return histogram.snapshot()
    }()

    static let process = ProcessMetrics(cpuSecondsTotal: 1.5, residentMemoryBytes: 12_345_678, virtualMemoryBytes: 987_654_321,
                                        openFDs: 12, maxFDs: 1_048_576, startTimeSeconds: 1_700_000_000.25)

    static func render(_ format: ExpositionFormat) -> [UInt8] {
        var writer = ExpositionWriter(format: format)
        writer.family("tokenwarden_build_info", type: .info, help: "TokenWarden build.")
        writer.info("tokenwarden_build_info", LabelPairs([("version", "1.2.3"), ("revision", "abc\"def")]))

        writer.family("tokenwarden_tokens_total", type: .counter, help: "LLM tokens used, by kind.")
        writer.sample("tokenwarden_tokens_total", acme, extra: ("kind", "input"), UInt64(1_234_567))
        writer.sample("tokenwarden_tokens_total", acme, extra: ("kind", "output"), UInt64(89))
        writer.sample("tokenwarden_tokens_total", other, extra: LabelPairs([("kind", "input")]), UInt64(0))

        writer.family("tokenwarden_spend_usd_total", type: .counter, help: hostileHelp, unit: "usd")
        writer.sample("tokenwarden_spend_usd_total", acme, 12.345678)
        writer.sample("tokenwarden_spend_usd_total", other, 1e-05)

        writer.family("tokenwarden_budget_remaining_ratio", type: .gauge, help: "Share of the budget left.", unit: "ratio")
        writer.sample("tokenwarden_budget_remaining_ratio", acme, -0.25)
        writer.sample("tokenwarden_budget_remaining_ratio", other, Double.nan)

        writer.family("tokenwarden_series", type: .gauge, help: "Live series.")
        writer.sample("tokenwarden_series", .empty, 2)

        writer.family("tokenwarden_request_duration_seconds", type: .histogram, help: "Request latency.", unit: "seconds")
        writer.histogram("tokenwarden_request_duration_seconds", LabelPairs([("route", "/v1/usage")]), durations)

        process.write(into: &writer)
        return writer.finish()
    }

    struct Family {
        var textName: String
        var textType: String
        var openMetricsName: String
        var openMetricsType: String
        var unit: String
        var help: String
        var samples: [ParsedSample]
    }

    static var acmeLabels: [String: String] { ["org": "acme", "team": hostileTeam, "project": "", "agent": "bot\\1"] }
    static var otherLabels: [String: String] { ["org": "other", "team": "ops", "project": "p\"q", "agent": ""] }

    /// What a correct parser must read back, in exposition order.
    static let expected: [Family] = {
        func plus(_ labels: [String: String], _ name: String, _ value: String) -> [String: String] {
            labels.merging([name: value]) { _, new in new }
        }
        let route = ["route": "/v1/usage"]
        let bucketSamples = zip(["0.005", "0.05", "0.5", "1.0", "2.5", "10.0", "+Inf"], [2.0, 3, 5, 6, 7, 7, 8]).map { le, count in
            ParsedSample(name: "tokenwarden_request_duration_seconds_bucket", labels: plus(route, "le", le), value: count)
        }
        return [
            Family(textName: "tokenwarden_build_info", textType: "gauge", openMetricsName: "tokenwarden_build", openMetricsType: "info",
                   unit: "", help: "TokenWarden build.",
                   samples: [ParsedSample(name: "tokenwarden_build_info", labels: ["version": "1.2.3", "revision": "abc\"def"], value: 1)]),
            Family(textName: "tokenwarden_tokens", textType: "counter", openMetricsName: "tokenwarden_tokens", openMetricsType: "counter",
                   unit: "", help: "LLM tokens used, by kind.",
                   samples: [
                       ParsedSample(name: "tokenwarden_tokens_total", labels: plus(acmeLabels, "kind", "input"), value: 1_234_567),
                       ParsedSample(name: "tokenwarden_tokens_total", labels: plus(acmeLabels, "kind", "output"), value: 89),
                       ParsedSample(name: "tokenwarden_tokens_total", labels: plus(otherLabels, "kind", "input"), value: 0),
                   ]),
            Family(textName: "tokenwarden_spend_usd", textType: "counter", openMetricsName: "tokenwarden_spend_usd", openMetricsType: "counter",
                   unit: "usd", help: hostileHelp,
                   samples: [
                       ParsedSample(name: "tokenwarden_spend_usd_total", labels: acmeLabels, value: 12.345678),
                       ParsedSample(name: "tokenwarden_spend_usd_total", labels: otherLabels, value: 1e-05),
                   ]),
            Family(textName: "tokenwarden_budget_remaining_ratio", textType: "gauge", openMetricsName: "tokenwarden_budget_remaining_ratio",
                   openMetricsType: "gauge", unit: "ratio", help: "Share of the budget left.",
                   samples: [
                       ParsedSample(name: "tokenwarden_budget_remaining_ratio", labels: acmeLabels, value: -0.25),
                       ParsedSample(name: "tokenwarden_budget_remaining_ratio", labels: otherLabels, value: .nan),
                   ]),
            Family(textName: "tokenwarden_series", textType: "gauge", openMetricsName: "tokenwarden_series", openMetricsType: "gauge",
                   unit: "", help: "Live series.",
                   samples: [ParsedSample(name: "tokenwarden_series", labels: [:], value: 2)]),
            Family(textName: "tokenwarden_request_duration_seconds", textType: "histogram",
                   openMetricsName: "tokenwarden_request_duration_seconds", openMetricsType: "histogram",
                   unit: "seconds", help: "Request latency.",
                   samples: bucketSamples + [
                       ParsedSample(name: "tokenwarden_request_duration_seconds_sum", labels: route, value: 0.001 + 0.005 + 0.02 + 0.3 + 0.3 + 0.75 + 2 + 30),
                       ParsedSample(name: "tokenwarden_request_duration_seconds_count", labels: route, value: 8),
                   ]),
            Family(textName: "process_cpu_seconds", textType: "counter", openMetricsName: "process_cpu_seconds", openMetricsType: "counter",
                   unit: "seconds", help: "Total user and system CPU time spent in seconds.",
                   samples: [ParsedSample(name: "process_cpu_seconds_total", labels: [:], value: 1.5)]),
            Family(textName: "process_open_fds", textType: "gauge", openMetricsName: "process_open_fds", openMetricsType: "gauge",
                   unit: "", help: "Number of open file descriptors.",
                   samples: [ParsedSample(name: "process_open_fds", labels: [:], value: 12)]),
            Family(textName: "process_max_fds", textType: "gauge", openMetricsName: "process_max_fds", openMetricsType: "gauge",
                   unit: "", help: "Maximum number of open file descriptors.",
                   samples: [ParsedSample(name: "process_max_fds", labels: [:], value: 1_048_576)]),
            Family(textName: "process_virtual_memory_bytes", textType: "gauge", openMetricsName: "process_virtual_memory_bytes",
                   openMetricsType: "gauge", unit: "bytes", help: "Virtual memory size in bytes.",
                   samples: [ParsedSample(name: "process_virtual_memory_bytes", labels: [:], value: 987_654_321)]),
            Family(textName: "process_resident_memory_bytes", textType: "gauge", openMetricsName: "process_resident_memory_bytes",
                   openMetricsType: "gauge", unit: "bytes", help: "Resident memory size in bytes.",
                   samples: [ParsedSample(name: "process_resident_memory_bytes", labels: [:], value: 12_345_678)]),
            Family(textName: "process_start_time_seconds", textType: "gauge", openMetricsName: "process_start_time_seconds",
                   openMetricsType: "gauge", unit: "seconds", help: "Start time of the process since unix epoch in seconds.",
                   samples: [ParsedSample(name: "process_start_time_seconds", labels: [:], value: 1_700_000_000.25)]),
        ]
    }()
}
