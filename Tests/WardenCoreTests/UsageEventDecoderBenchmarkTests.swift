import Foundation
import Testing
import WardenCore

/// Measures (never asserts) decoding speed. Off by default; run with
/// `TOKENWARDEN_BENCH=1 swift test -c release --filter UsageEventDecoderBenchmark`.
/// Foundation's `JSONSerialization` on the same body is printed alongside for scale; it only
/// parses (no validation, no `UsageEvent`s), so it is a lower bound for a Foundation-based decoder.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TOKENWARDEN_BENCH"] == "1"))
struct UsageEventDecoderBenchmarkTests {
    static let eventsPerBody = 100

    /// Best-of-`rounds` nanoseconds per event for `work`, which handles one 100-event body.
    private func nanosecondsPerEvent(rounds: Int = 7, bodiesPerRound: Int = 300, _ work: () throws -> Void) rethrows -> Double {
        for _ in 0..<50 { try work() }  // warm up caches and allocator
        var best = Duration.seconds(1_000)
        for _ in 0..<rounds {
            let elapsed = try ContinuousClock().measure { for _ in 0..<bodiesPerRound { try work() } }
            best = min(best, elapsed)
        }
        let nanoseconds = Double(best.components.seconds) * 1e9 + Double(best.components.attoseconds) / 1e9
        return nanoseconds / Double(bodiesPerRound * Self.eventsPerBody)
    }

    @Test func measureDecodingOfTypicalBatches() throws {
        let decoder = UsageEventDecoderFixtures.decoder
        var lines: [String] = []
        for distinct in [false, true] {
            let events = (0..<Self.eventsPerBody).map { UsageEventDecoderFixtures.typicalEvent($0, distinct: distinct) }
            let arrayBody = Array(("[" + events.joined(separator: ",") + "]").utf8)
            let ndjsonBody = Array((events.joined(separator: "\n") + "\n").utf8)
            #expect(try decoder.decode(arrayBody, format: .json).count == Self.eventsPerBody)
            #expect(try decoder.decode(ndjsonBody, format: .ndjson).count == Self.eventsPerBody)

            let arrayTime = try nanosecondsPerEvent { _ = try decoder.decode(arrayBody, format: .json) }
            let ndjsonTime = try nanosecondsPerEvent { _ = try decoder.decode(ndjsonBody, format: .ndjson) }
            let readerTime = try nanosecondsPerEvent { _ = try JSONDocument(parsing: arrayBody) }
            let data = Data(arrayBody)
            let foundationTime = try nanosecondsPerEvent { _ = try JSONSerialization.jsonObject(with: data) }
            lines.append("""
                \(distinct ? "distinct" : "repeated") model and labels, \(arrayBody.count / Self.eventsPerBody) bytes/event:
                  UsageEventDecoder, JSON array   \(Int(arrayTime)) ns/event
                  UsageEventDecoder, NDJSON       \(Int(ndjsonTime)) ns/event
                  JSONDocument, parse only        \(Int(readerTime)) ns/event
                  JSONSerialization, parse only   \(Int(foundationTime)) ns/event
                """)
        }
        print("usage decode benchmark, \(Self.eventsPerBody) events per body\n" + lines.joined(separator: "\n"))
    }
}
