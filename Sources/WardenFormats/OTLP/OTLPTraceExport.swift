import Foundation
import SwiftProtobuf
import WardenCore

/// One `POST /v1/traces` body (an OTLP `ExportTraceServiceRequest`), decoded from either of
/// OTLP/HTTP's encodings, and the answers the receiver sends back in the same encoding.
public struct OTLPTraceExport: Sendable {
    package var request: Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest

    /// A binary protobuf body (`application/x-protobuf`).
    public init(protobuf body: [UInt8]) throws(OTLPDecodeError) {
        do {
            var options = BinaryDecodingOptions()
            // Attribute values nest (arrays, key-value lists); real exporters stay shallow.
            options.messageDepthLimit = 64
            request = try .init(serializedBytes: body, options: options)
        } catch {
            throw OTLPDecodeError(message: "the body is not an OTLP ExportTraceServiceRequest in protobuf: \(error)")
        }
    }

    /// An OTLP/JSON body (`application/json`): the protobuf JSON mapping with OTLP's exceptions
    /// (hex trace and span ids, integer enums, lowerCamelCase keys).
    public init(json body: [UInt8]) throws(OTLPDecodeError) {
        let document: JSONDocument
        do {
            document = try JSONDocument(parsing: body)
        } catch {
            throw OTLPDecodeError(message: "malformed JSON at byte \(error.offset): \(error.message)")
        }
        request = try OTLPJSONReader.request(document.root)
    }

    /// Spans in the request, GenAI or not.
    public var spanCount: Int {
        request.resourceSpans.reduce(0) { $0 + $1.scopeSpans.reduce(0) { $0 + $1.spans.count } }
    }
}

/// A body that is not an OTLP trace export at all: answered 400, nothing recorded.
public struct OTLPDecodeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// The receiver's answers, in the encoding of the request (OTLP/HTTP requires it).
public enum OTLPResponseBody {
    /// `ExportTraceServiceResponse`: empty when every span was taken, else its partial success.
    public static func export(rejectedSpans: Int, errorMessage: String, json: Bool) -> [UInt8] {
        if json {
            guard rejectedSpans > 0 || !errorMessage.isEmpty else { return Array("{}".utf8) }
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("partialSuccess")
            writer.beginObject()
            writer.key("rejectedSpans")
            writer.integer(rejectedSpans)
            writer.key("errorMessage")
            writer.string(errorMessage)
            writer.endObject()
            writer.endObject()
            return writer.bytes
        }
        var response = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse()
        if rejectedSpans > 0 || !errorMessage.isEmpty {
            response.partialSuccess.rejectedSpans = Int64(rejectedSpans)
            response.partialSuccess.errorMessage = errorMessage
        }
        return (try? response.serializedBytes()) ?? []
    }

    /// A `google.rpc.Status` for a 4xx or 5xx answer: `code` is the gRPC code (3 invalid
    /// argument, 8 resource exhausted, 14 unavailable, 7 permission denied). Written by hand:
    /// two fields do not justify generating `status.proto`.
    public static func status(code: Int32, message: String, json: Bool) -> [UInt8] {
        if json {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("code")
            writer.integer(Int(code))
            writer.key("message")
            writer.string(message)
            writer.endObject()
            return writer.bytes
        }
        var bytes: [UInt8] = []
        if code != 0 {
            bytes.append(0x08)  // field 1, varint
            appendVarint(UInt64(UInt32(bitPattern: code)), to: &bytes)
        }
        let text = Array(message.utf8)
        if !text.isEmpty {
            bytes.append(0x12)  // field 2, length-delimited
            appendVarint(UInt64(text.count), to: &bytes)
            bytes += text
        }
        return bytes
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }
}
