import WardenCore

/// An audit detail's canonical JSON, the text the store keeps and hashes, so that the same detail
/// always has the same bytes whoever wrote it.
///
/// Canonical means: no whitespace; object members sorted by the UTF-8 bytes of their keys
/// (``AuditDetail`` keeps them in that order); strings escaped the way ``JSONWriter`` escapes
/// them (only `"`, `\` and control characters, short forms where JSON has them); numbers kept
/// exactly as written (no `Double` round trip, so `1.10` stays `1.10`); `true`, `false`, `null`
/// as themselves. Reading back rejects duplicate keys: which one a reader would keep is not
/// defined by JSON.
extension AuditDetail {
    public struct JSONError: Swift.Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// `{}` for an empty detail.
    public var canonicalJSON: String {
        if isEmpty { return "{}" }
        var writer = JSONWriter(reservingCapacity: 32 + fields.count * 24)
        write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        for field in fields {
            writer.key(field.name)
            Self.write(field.value, to: &writer)
        }
        writer.endObject()
    }

    private static func write(_ value: Value, to writer: inout JSONWriter) {
        switch value {
        case .text(let text): writer.string(text)
        case .integer(let number): writer.integer(number)
        case .number(let text): writer.number(text: text)
        case .flag(let flag): writer.bool(flag)
        case .null: writer.null()
        case .list(let values):
            writer.beginArray()
            for element in values { write(element, to: &writer) }
            writer.endArray()
        case .record(let detail): detail.write(to: &writer)
        }
    }

    /// The detail a JSON object's text denotes (a row read back from the store, or an old row
    /// written as JSON text by an earlier version).
    public init(json text: String) throws(JSONError) {
        if text == "{}" { self.init(); return }
        let document: JSONDocument
        do { document = try JSONDocument(parsing: text) } catch {
            throw JSONError(message: "detail is not valid JSON: \(error)")
        }
        guard document.root.kind == .object else { throw JSONError(message: "detail must be a JSON object") }
        self = try Self.record(document.root, path: "detail")
    }

    /// `path` names the value in an error only, so it is spelled only for one.
    private static func record(_ object: JSONValue, path: @autoclosure () -> String) throws(JSONError) -> AuditDetail {
        var detail = AuditDetail()
        for member in object.members {
            guard detail[member.key] == nil else { throw JSONError(message: "\(path()) has the key \"\(member.key)\" twice") }
            detail[member.key] = try value(member.value, path: "\(path()).\(member.key)")
        }
        return detail
    }

    private static func value(_ value: JSONValue, path: @autoclosure () -> String) throws(JSONError) -> Value {
        switch value.kind {
        case .object: return .record(try record(value, path: path()))
        case .array:
            var elements: [Value] = []
            for (index, element) in value.elements.enumerated() {
                elements.append(try Self.value(element, path: "\(path())[\(index)]"))
            }
            return .list(elements)
        case .string: return .text(value.string ?? "")
        case .number:
            let text = value.numberText ?? "0"
            if case .integer(let number) = JSONIntegerReading(numberText: text), String(number) == text { return .integer(number) }
            return .number(text)
        case .bool: return .flag(value.bool ?? false)
        case .null: return .null
        }
    }
}

extension AuditEvent {
    /// The scope as canonical JSON: an object with the labels in ``scope`` order,
    /// `{"team":"search","user":"u1"}`.
    public var scopeJSON: String {
        var writer = JSONWriter(reservingCapacity: 2 + scope.count * 32)
        writer.beginObject()
        for label in scope {
            writer.key(label.key)
            writer.string(label.value)
        }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
