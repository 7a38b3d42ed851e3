import Foundation
import WardenCore
import WardenFormats

/// LiteLLM webhook decoding in process: ``LiteLLMPayloadDecoder`` on a JSON array of 100 standard
/// logging payloads as the proxy sends them (about 14 KB each), beside what bounds it from below:
/// parsing the same body whole into a ``JSONDocument`` (every value kept, as the decoder once did),
/// and copying it once (touching every byte). The baseline is ``UsageEventDecoder`` on a
/// `/v1/usage` body of 100 events, per event, so the ratio says how many usage events one payload
/// costs to decode.
struct LiteLLMDecodeBenchmark {
    static let payloadsPerBody = 100
    /// Bodies per timed round: 3,000 payloads, about 40 MB.
    static let bodiesPerRound = 30

    func run(into table: inout ResultTable) {
        let payloads = (0..<Self.payloadsPerBody).map {
            LiteLLMPayloadSample.json.replacingOccurrences(of: "@ID@", with: "bench-\($0)")
        }
        let body = Array(("[" + payloads.joined(separator: ",") + "]").utf8)
        let usageBody = Array(("[" + (0..<100).map { DecodeBenchmark.typicalEvent($0, distinct: false) }.joined(separator: ",") + "]").utf8)
        let decoder = LiteLLMPayloadDecoder(settings: LiteLLMIntegrationSettings())
        let usageDecoder = UsageEventDecoder(schema: .standard)
        do {
            let count = try decoder.decode(body).count
            guard count == Self.payloadsPerBody else { throw BenchError("the LiteLLM body decoded to \(count) records, not \(Self.payloadsPerBody)") }
            let operations = Self.bodiesPerRound * Self.payloadsPerBody
            func timing(_ oneBody: () throws -> Void) throws -> OperationTiming {
                try OperationTiming.measure(operations: operations) {
                    for _ in 0..<Self.bodiesPerRound { try oneBody() }
                }
            }
            let usage = try OperationTiming.measure(operations: 300 * 100) {
                for _ in 0..<300 { _ = try usageDecoder.decode(usageBody, format: .json) }
            }
            var sink = 0
            let measured: [(String, OperationTiming)] = [
                ("LiteLLMPayloadDecoder", try timing { sink &+= try decoder.decode(body).count }),
                ("JSONDocument, whole body parsed", try timing { sink &+= try JSONDocument(parsing: body).root.count }),
                ("one copy of the body", try timing {
                    let copy = body.withUnsafeBufferPointer { Array($0) }
                    sink &+= Int(copy[copy.count / 2])
                }),
            ]
            for (name, result) in measured {
                table.add(.init(metric: "decode: \(name), LiteLLM payloads (in-process)", value: result.nanoseconds(per: "payload"),
                                baseline: "UsageEventDecoder \(Format.nanoseconds(usage.fastest)) ns/event",
                                ratio: Format.ratio(result.fastest / usage.fastest)))
            }
            withExtendedLifetime(sink) {}
            table.note("decode, LiteLLM: \(body.count / Self.payloadsPerBody) bytes/payload, \(Self.payloadsPerBody) payloads per body")
        } catch {
            table.failed("decode: LiteLLM payloads (in-process)", error)
        }
    }
}
