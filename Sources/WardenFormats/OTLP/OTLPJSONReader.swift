import Foundation
import WardenCore

/// Reads OTLP/JSON into the generated messages, as the OTLP specification maps them: keys in
/// lowerCamelCase, trace and span ids as hex (not protobuf JSON's base64), 64-bit integers as
/// decimal strings or numbers, enums as integers, unknown keys ignored. Only what usage comes
/// from is read (resource and span attributes, ids, names, end times). Hand-written because
/// SwiftProtobuf's JSON decoder would read the hex ids as base64 without a word and names no
/// field in its errors; every error here names its path (`resourceSpans[0].scopeSpans[0].spans[3].traceId`).
enum OTLPJSONReader {
    typealias Request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest
    typealias KeyValue = Opentelemetry_Proto_Common_V1_KeyValue
    typealias AnyValue = Opentelemetry_Proto_Common_V1_AnyValue

    static func request(_ root: JSONValue) throws(OTLPDecodeError) -> Request {
        var request = Request()
        try expectObject(root, "the body")
        for (resourceIndex, resourceValue) in try array(root["resourceSpans"], "resourceSpans").enumerated() {
            let resourcePath = "resourceSpans[\(resourceIndex)]"
            try expectObject(resourceValue, resourcePath)
            var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
            if let resource = present(resourceValue["resource"]) {
                try expectObject(resource, "\(resourcePath).resource")
                resourceSpans.resource.attributes = try attributes(resource["attributes"], "\(resourcePath).resource.attributes")
            }
            for (scopeIndex, scopeValue) in try array(resourceValue["scopeSpans"], "\(resourcePath).scopeSpans").enumerated() {
                let scopePath = "\(resourcePath).scopeSpans[\(scopeIndex)]"
                try expectObject(scopeValue, scopePath)
                var scopeSpans = Opentelemetry_Proto_Trace_V1_ScopeSpans()
                for (spanIndex, spanValue) in try array(scopeValue["spans"], "\(scopePath).spans").enumerated() {
                    scopeSpans.spans.append(try span(spanValue, "\(scopePath).spans[\(spanIndex)]"))
                }
                resourceSpans.scopeSpans.append(scopeSpans)
            }
            request.resourceSpans.append(resourceSpans)
        }
        return request
    }

    private static func span(_ value: JSONValue, _ path: String) throws(OTLPDecodeError) -> Opentelemetry_Proto_Trace_V1_Span {
        try expectObject(value, path)
        var span = Opentelemetry_Proto_Trace_V1_Span()
        span.traceID = try hexID(value["traceId"], "\(path).traceId", bytes: 16)
        span.spanID = try hexID(value["spanId"], "\(path).spanId", bytes: 8)
        if let name = present(value["name"]) {
            guard let text = name.string else { throw OTLPDecodeError(message: "\(path).name must be a string") }
            span.name = text
        }
        span.endTimeUnixNano = try unsigned(value["endTimeUnixNano"], "\(path).endTimeUnixNano")
        span.attributes = try attributes(value["attributes"], "\(path).attributes")
        return span
    }

    private static func attributes(_ value: JSONValue?, _ path: String) throws(OTLPDecodeError) -> [KeyValue] {
        var result: [KeyValue] = []
        for (index, element) in try array(value, path).enumerated() {
            let elementPath = "\(path)[\(index)]"
            try expectObject(element, elementPath)
            var pair = KeyValue()
            guard let key = element["key"]?.string else { throw OTLPDecodeError(message: "\(elementPath).key must be a string") }
            pair.key = key
            if let anyValue = present(element["value"]) {
                pair.value = try self.anyValue(anyValue, "\(elementPath).value")
            }
            result.append(pair)
        }
        return result
    }

    private static func anyValue(_ value: JSONValue, _ path: String) throws(OTLPDecodeError) -> AnyValue {
        try expectObject(value, path)
        var result = AnyValue()
        for (key, member) in value.members where !member.isNull {
            switch key {
            case "stringValue":
                guard let text = member.string else { throw OTLPDecodeError(message: "\(path).stringValue must be a string") }
                result.stringValue = text
            case "boolValue":
                guard let flag = member.bool else { throw OTLPDecodeError(message: "\(path).boolValue must be true or false") }
                result.boolValue = flag
            case "intValue":
                result.intValue = try signed(member, "\(path).intValue")
            case "doubleValue":
                guard let text = member.numberText ?? member.string, let number = Double(text) else {
                    throw OTLPDecodeError(message: "\(path).doubleValue must be a number")
                }
                result.doubleValue = number
            case "arrayValue", "kvlistValue", "bytesValue":
                // Never usage; kept as a value of another kind so a usage attribute holding one
                // is reported as the wrong type rather than as missing.
                result.arrayValue = Opentelemetry_Proto_Common_V1_ArrayValue()
            default:
                continue
            }
        }
        return result
    }

    private static func hexID(_ value: JSONValue?, _ path: String, bytes: Int) throws(OTLPDecodeError) -> Data {
        guard let value = present(value) else { return Data() }
        guard let text = value.string else { throw OTLPDecodeError(message: "\(path) must be a string of \(bytes * 2) hex digits") }
        let digits = Array(text.utf8)
        guard digits.count == bytes * 2 else {
            throw OTLPDecodeError(message: "\(path) must be \(bytes * 2) hex digits, not \(digits.count) characters")
        }
        var data = Data(capacity: bytes)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexDigit(digits[index]), let low = hexDigit(digits[index + 1]) else {
                throw OTLPDecodeError(message: "\(path) must be \(bytes * 2) hex digits, not \"\(text)\"")
            }
            data.append(high << 4 | low)
        }
        return data
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// A `fixed64` or `uint64`: a decimal string or a number.
    private static func unsigned(_ value: JSONValue?, _ path: String) throws(OTLPDecodeError) -> UInt64 {
        guard let value = present(value) else { return 0 }
        if let text = value.string ?? value.numberText, let number = UInt64(text) { return number }
        if case .integer(let number)? = value.integer, number >= 0 { return UInt64(number) }
        throw OTLPDecodeError(message: "\(path) must be a whole number of nanoseconds (a decimal string or a number)")
    }

    /// An `int64`: a decimal string or a number.
    private static func signed(_ value: JSONValue, _ path: String) throws(OTLPDecodeError) -> Int64 {
        if let text = value.string, let number = Int64(text) { return number }
        if case .integer(let number)? = value.integer { return number }
        throw OTLPDecodeError(message: "\(path) must be a whole number (a decimal string or a number)")
    }

    private static func array(_ value: JSONValue?, _ path: String) throws(OTLPDecodeError) -> [JSONValue] {
        guard let value = present(value) else { return [] }
        guard value.kind == .array else { throw OTLPDecodeError(message: "\(path) must be an array") }
        return value.elements
    }

    private static func expectObject(_ value: JSONValue, _ path: String) throws(OTLPDecodeError) {
        guard value.kind == .object else { throw OTLPDecodeError(message: "\(path) must be an object") }
    }

    /// `nil` for an absent or `null` member (protobuf JSON's default value).
    private static func present(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        return value
    }
}
