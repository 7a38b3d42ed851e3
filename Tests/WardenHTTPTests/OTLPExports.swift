import Foundation
import SwiftProtobuf
import WardenFormats

/// OTLP trace exports for the in-process route tests, built with the generated OTLP messages.
/// Prices are ``InProcessWarden/pricing``: 1000 input + 100 output tokens of gpt-4o cost 0.0035 USD.
struct OTLPSpan {
    var traceID: [UInt8] = Array(repeating: 0x0A, count: 16)
    var spanID: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    var name = "chat gpt-4o"
    var model: String? = "gpt-4o"
    var input: Int64? = 1000
    var output: Int64? = 100

    var id: String {
        "otlp:" + (traceID + [0x2D] + spanID).map { $0 == 0x2D ? "-" : String(format: "%02x", $0) }.joined()
    }

    var message: Opentelemetry_Proto_Trace_V1_Span {
        var span = Opentelemetry_Proto_Trace_V1_Span()
        span.traceID = Data(traceID)
        span.spanID = Data(spanID)
        span.name = name
        span.endTimeUnixNano = 1_767_225_600_000_000_000
        var attributes = [OTLPExports.attribute("gen_ai.provider.name", string: "openai")]
        if let model { attributes.append(OTLPExports.attribute("gen_ai.request.model", string: model)) }
        if let input { attributes.append(OTLPExports.attribute("gen_ai.usage.input_tokens", int: input)) }
        if let output { attributes.append(OTLPExports.attribute("gen_ai.usage.output_tokens", int: output)) }
        span.attributes = attributes
        return span
    }
}

enum OTLPExports {
    static func request(_ spans: [OTLPSpan]) -> Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest {
        var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scope.spans = spans.map(\.message)
        var resource = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        resource.resource.attributes = [attribute("service.name", string: "support-bot")]
        resource.scopeSpans = [scope]
        var request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest()
        request.resourceSpans = [resource]
        return request
    }

    static func protobuf(_ spans: OTLPSpan...) throws -> [UInt8] { try request(spans).serializedBytes() }

    /// OTLP/JSON: protobuf's JSON mapping with hex ids (OTLP's exception to base64 bytes).
    static func json(_ spans: OTLPSpan...) -> String {
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
        let spanTexts = spans.map { span -> String in
            var attributes = [#"{"key":"gen_ai.provider.name","value":{"stringValue":"openai"}}"#]
            if let model = span.model { attributes.append(#"{"key":"gen_ai.request.model","value":{"stringValue":"\#(model)"}}"#) }
            if let input = span.input { attributes.append(#"{"key":"gen_ai.usage.input_tokens","value":{"intValue":"\#(input)"}}"#) }
            if let output = span.output { attributes.append(#"{"key":"gen_ai.usage.output_tokens","value":{"intValue":\#(output)}}"#) }
            return #"{"traceId":"\#(hex(span.traceID))","spanId":"\#(hex(span.spanID))","name":"\#(span.name)","#
                + #""endTimeUnixNano":"1767225600000000000","attributes":[\#(attributes.joined(separator: ","))]}"#
        }
        return #"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"support-bot"}}]},"#
            + #""scopeSpans":[{"spans":[\#(spanTexts.joined(separator: ","))]}]}]}"#
    }

    static func attribute(_ key: String, string: String) -> Opentelemetry_Proto_Common_V1_KeyValue {
        var pair = Opentelemetry_Proto_Common_V1_KeyValue()
        pair.key = key
        pair.value.stringValue = string
        return pair
    }

    static func attribute(_ key: String, int: Int64) -> Opentelemetry_Proto_Common_V1_KeyValue {
        var pair = Opentelemetry_Proto_Common_V1_KeyValue()
        pair.key = key
        pair.value.intValue = int
        return pair
    }
}
