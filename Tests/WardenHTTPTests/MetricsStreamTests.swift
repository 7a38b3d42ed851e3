import TestSupport
import Foundation
import Testing
import WardenCore
import WardenMetrics
import WardenHTTP

/// `GET /metrics` is streamed: rendered and compressed piece by piece from one snapshot.
@Suite("Metrics stream")
struct MetricsStreamTests {
    private static func event(_ index: Int, team: String, input: Int64 = 100) -> PricedEvent {
        let time = try! Timestamp(rfc3339: "2026-11-20T10:00:00Z")
        let event = UsageEvent(id: "e\(index)", time: time, provider: "openai", model: "gpt-4o",
                               tokens: TokenUsage(input: input, output: 10, cacheRead: 0),
                               attribution: Attribution([("team", team)]))
        return PricedEvent(event: event, time: time, cost: try! Money.parse("0.25").money, currency: "USD", priced: true)
    }

    /// A ledger big enough that its exposition spans many pieces.
    private static func route(labelSets: Int) -> (MetricsRoute, LiveLedger) {
        var ledger = Ledger(labelKeys: ["team"], seriesLimit: labelSets + 10)
        ledger.apply(ledger.plan((0..<labelSets).map { event($0, team: "team-\($0)") }))
        let live = LiveLedger(ledger)
        return (MetricsRoute(version: "test", ledger: LedgerExposition(ledger: live), ingestDuration: Histogram()), live)
    }

    /// Reads a stream to its end in reads of `readSize` bytes.
    private static func drain(_ stream: any HTTPBodyStream, readSize: Int) -> [UInt8] {
        var body: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: readSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            #expect(count <= readSize)
            if count == 0 { return body }
            body.append(contentsOf: buffer[..<count])
        }
    }

    /// The exposition without `process_*` samples, which change from one render to the next.
    private static func stable(_ body: [UInt8]) -> [Substring] {
        String(decoding: body, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("process_") }
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func theStreamedBodyIsTheWholeExpositionWhateverTheReadSize(format: ExpositionFormat) {
        let (route, live) = Self.route(labelSets: 3_000)
        var writer = ExpositionWriter(format: format)
        LedgerExposition(ledger: live).write(into: &writer, rejectionReasons: [])
        // The per-label-set families, rendered in one go: the stream renders them a slice at a time.
        let ledgerFamilies = Self.stable(writer.finish()).prefix { !$0.contains("tokenwarden_usage_events_rejected") }
        #expect(ledgerFamilies.count > 3_000 * 7)

        for readSize in [1_000, 64 << 10, 1 << 20] {
            let body = Self.drain(route.stream(format: format, gzip: false), readSize: readSize)
            #expect(body.count > 4 * 65_536, "spans several pieces")
            let lines = Self.stable(body)
            #expect(lines.prefix(ledgerFamilies.count) == ledgerFamilies, "read size \(readSize)")
            #expect(lines.contains("tokenwarden_metrics_series 3000"))
            #expect(lines.contains { $0.hasPrefix("tokenwarden_build_info{") })
            #expect(Set(lines.filter { $0.hasPrefix("# TYPE ") }).count == lines.filter { $0.hasPrefix("# TYPE ") }.count,
                    "no family is written twice")
            #expect((format == .openMetrics) == (lines.last == "# EOF"))
        }
    }

    @Test func theGzipStreamDecompressesToTheSameExposition() throws {
        let (route, _) = Self.route(labelSets: 3_000)
        let plain = Self.drain(route.stream(format: .prometheusText, gzip: false), readSize: 32 << 10)
        let compressed = Self.drain(route.stream(format: .prometheusText, gzip: true), readSize: 32 << 10)
        #expect(Array(compressed.prefix(3)) == [0x1F, 0x8B, 0x08], "gzip magic and deflate method")
        #expect(compressed.count * 4 < plain.count)
        #expect(Self.stable(try SystemGzip.decompress(compressed)) == Self.stable(plain))
    }

    @Test func aScrapeShowsOneMomentEvenIfTheLedgerMovesWhileItIsRead() {
        let (route, live) = Self.route(labelSets: 3_000)
        let before = route.stream(format: .prometheusText, gzip: false)
        // Read part of it, then let ingest move on: a new label set and more usage on the first one.
        var buffer = [UInt8](repeating: 0, count: 1_000)
        var body = Array(buffer[..<buffer.withUnsafeMutableBytes { before.read(into: $0) }])
        live.apply(live.read { ledger in
            ledger.plan([Self.event(10_000, team: "team-0", input: 5_000), Self.event(10_001, team: "latecomer")])
        })
        body += Self.drain(before, readSize: 4_096)
        let lines = Self.stable(body)
        #expect(lines.contains(#"tokenwarden_tokens_total{provider="openai",model="gpt-4o",team="team-0",kind="input"} 100"#))
        #expect(!lines.contains { $0.contains("latecomer") })
        #expect(lines.contains("tokenwarden_metrics_series 3000"))
        #expect(lines.contains(#"tokenwarden_requests_total{provider="openai",model="gpt-4o",team="team-0"} 1"#))

        let after = Self.stable(Self.drain(route.stream(format: .prometheusText, gzip: false), readSize: 4_096))
        #expect(after.contains(#"tokenwarden_tokens_total{provider="openai",model="gpt-4o",team="team-0",kind="input"} 5100"#))
        #expect(after.contains("tokenwarden_metrics_series 3001"))
        #expect(after.contains { $0.contains(#"team="latecomer""#) })
    }

    @Test func anEmptyLedgerStillExposesEveryFamily() {
        let (route, _) = Self.route(labelSets: 0)
        let lines = Self.stable(Self.drain(route.stream(format: .prometheusText, gzip: false), readSize: 512))
        for family in ["tokenwarden_tokens_total", "tokenwarden_reasoning_tokens_total", "tokenwarden_cost_total",
                       "tokenwarden_requests_total", "tokenwarden_metrics_series", "tokenwarden_build_info"] {
            #expect(lines.contains { $0.hasPrefix("# TYPE \(family) ") }, "\(family)")
        }
        #expect(lines.contains("tokenwarden_metrics_series 0"))
    }
}
