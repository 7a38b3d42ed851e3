import Testing
import WardenMetrics

/// Byte-exact output of both formats for one small exposition that uses every feature.
@Suite struct ExpositionWriterGoldenTests {
    static func render(_ format: ExpositionFormat) -> String {
        var writer = ExpositionWriter(format: format)
        writer.family("tokenwarden_build_info", type: .info, help: #"Build "info"."#)
        writer.info("tokenwarden_build_info", LabelPairs([("version", "1.0")]))
        writer.family("tokenwarden_requests_total", type: .counter, help: "Requests, C:\\x\nnext.")
        writer.sample("tokenwarden_requests_total", LabelPairs([("route", #"/a"b"#)]), Int64(3))
        writer.sample("tokenwarden_requests_total", .empty, extra: ("code", "500"), Int64(1))
        writer.family("tokenwarden_queue_bytes", type: .gauge, help: "Queue size.", unit: "bytes")
        writer.sample("tokenwarden_queue_bytes", .empty, 1.5)
        writer.family("tokenwarden_latency_seconds", type: .histogram, help: "Latency.", unit: "seconds")
        writer.histogram("tokenwarden_latency_seconds", LabelPairs([("route", "/")]),
                         HistogramSnapshot(upperBounds: [0.1, 1], cumulativeCounts: [1, 2, 3], sum: 2.25))
        writer.family("tokenwarden_mystery", type: .unknown, help: "")
        writer.sample("tokenwarden_mystery", .empty, -Double.infinity)
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    @Test func prometheusText() {
        #expect(Self.render(.prometheusText) == #"""
            # HELP tokenwarden_build_info Build "info".
            # TYPE tokenwarden_build_info gauge
            tokenwarden_build_info{version="1.0"} 1
            # HELP tokenwarden_requests_total Requests, C:\\x\nnext.
            # TYPE tokenwarden_requests_total counter
            tokenwarden_requests_total{route="/a\"b"} 3
            tokenwarden_requests_total{code="500"} 1
            # HELP tokenwarden_queue_bytes Queue size.
            # TYPE tokenwarden_queue_bytes gauge
            tokenwarden_queue_bytes 1.5
            # HELP tokenwarden_latency_seconds Latency.
            # TYPE tokenwarden_latency_seconds histogram
            tokenwarden_latency_seconds_bucket{route="/",le="0.1"} 1
            tokenwarden_latency_seconds_bucket{route="/",le="1.0"} 2
            tokenwarden_latency_seconds_bucket{route="/",le="+Inf"} 3
            tokenwarden_latency_seconds_sum{route="/"} 2.25
            tokenwarden_latency_seconds_count{route="/"} 3
            # TYPE tokenwarden_mystery untyped
            tokenwarden_mystery -Inf

            """#)
    }

    @Test func openMetrics() {
        #expect(Self.render(.openMetrics) == #"""
            # TYPE tokenwarden_build info
            # HELP tokenwarden_build Build \"info\".
            tokenwarden_build_info{version="1.0"} 1
            # TYPE tokenwarden_requests counter
            # HELP tokenwarden_requests Requests, C:\\x\nnext.
            tokenwarden_requests_total{route="/a\"b"} 3
            tokenwarden_requests_total{code="500"} 1
            # TYPE tokenwarden_queue_bytes gauge
            # UNIT tokenwarden_queue_bytes bytes
            # HELP tokenwarden_queue_bytes Queue size.
            tokenwarden_queue_bytes 1.5
            # TYPE tokenwarden_latency_seconds histogram
            # UNIT tokenwarden_latency_seconds seconds
            # HELP tokenwarden_latency_seconds Latency.
            tokenwarden_latency_seconds_bucket{route="/",le="0.1"} 1
            tokenwarden_latency_seconds_bucket{route="/",le="1.0"} 2
            tokenwarden_latency_seconds_bucket{route="/",le="+Inf"} 3
            tokenwarden_latency_seconds_sum{route="/"} 2.25
            tokenwarden_latency_seconds_count{route="/"} 3
            # TYPE tokenwarden_mystery unknown
            tokenwarden_mystery -Inf
            # EOF

            """#)
    }
}
