import Foundation
import WardenCore
import WardenFormats

/// Usage-event decoding in process: the ingest route's ``UsageEventDecoder`` on 100-event bodies,
/// as a JSON array and as NDJSON, with model and labels repeated from event to event (the common
/// case) or all distinct (nothing for the decoder's string interning to reuse).
///
/// The baseline is Foundation's `JSONSerialization` parsing the same array body. It only parses
/// (no validation, no `UsageEvent`s), so it is the best a Foundation-based decoder could do; a
/// ratio under 1 means the decoder, validation included, beats parsing alone.
struct DecodeBenchmark {
    static let eventsPerBody = 100
    /// Bodies per timed round: 30,000 events.
    static let bodiesPerRound = 300

    func run(into table: inout ResultTable) {
        let decoder = UsageEventDecoder(schema: .standard)
        for distinct in [false, true] {
            let shape = distinct ? "distinct labels" : "repeated labels"
            let events = (0..<Self.eventsPerBody).map { Self.typicalEvent($0, distinct: distinct) }
            let arrayBody = Array(("[" + events.joined(separator: ",") + "]").utf8)
            let ndjsonBody = Array((events.joined(separator: "\n") + "\n").utf8)
            let arrayData = Data(arrayBody)
            do {
                for (body, format) in [(arrayBody, UsageBodyFormat.json), (ndjsonBody, .ndjson)] {
                    let count = try decoder.decode(body, format: format).count
                    guard count == Self.eventsPerBody else {
                        throw BenchError("the \(format) body decoded to \(count) events, not \(Self.eventsPerBody)")
                    }
                }
                let operations = Self.bodiesPerRound * Self.eventsPerBody
                func timing(_ decodeOneBody: () throws -> Void) throws -> OperationTiming {
                    try OperationTiming.measure(operations: operations) {
                        for _ in 0..<Self.bodiesPerRound { try decodeOneBody() }
                    }
                }
                let foundation = try timing { _ = try JSONSerialization.jsonObject(with: arrayData) }
                let measured: [(String, OperationTiming)] = [
                    ("UsageEventDecoder, JSON array", try timing { _ = try decoder.decode(arrayBody, format: .json) }),
                    ("UsageEventDecoder, NDJSON", try timing { _ = try decoder.decode(ndjsonBody, format: .ndjson) }),
                    ("JSONDocument, parse only", try timing { _ = try JSONDocument(parsing: arrayBody) }),
                ]
                for (name, result) in measured {
                    table.add(.init(metric: "decode: \(name), \(shape) (in-process)",
                                    value: result.nanoseconds(per: "event"),
                                    baseline: "JSONSerialization \(Format.nanoseconds(foundation.fastest)) ns/event",
                                    ratio: Format.ratio(result.fastest / foundation.fastest)))
                }
                table.note("decode, \(shape): \(arrayBody.count / Self.eventsPerBody) bytes/event, "
                           + "\(Self.eventsPerBody) events per body")
            } catch {
                table.failed("decode: \(shape) (in-process)", error)
            }
        }
    }

    /// A realistic ~400-byte event with every field and five attribution labels. With
    /// `distinct`, the model and labels differ from event to event.
    static func typicalEvent(_ number: Int, distinct: Bool) -> String {
        let variant = distinct ? "-\(number)" : ""
        return #"{"id":"0b7c6f1e-4a5d-4f3b-9c2e-\#(String(100_000_000_000 + number))","time":"2026-11-23T10:51:00.123Z","#
            + #""provider":"anthropic","model":"claude-sonnet-4-5-20250929\#(variant)","input_tokens":\#(12_000 + number),"#
            + #""output_tokens":850,"cache_read_input_tokens":9000,"cache_creation_input_tokens":1200,"#
            + #""reasoning_tokens":120,"attribution":{"org":"acme\#(variant)","team":"search-platform","#
            + #""project":"query-rewriter","agent":"rewriter-v2","environment":"production"}}"#
    }
}
