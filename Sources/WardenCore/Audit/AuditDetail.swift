/// The canonical form of an audit event's `detail` JSON, so that the same detail always hashes
/// to the same bytes whoever wrote it.
///
/// Canonical means: no whitespace; object members sorted by the UTF-8 bytes of their keys;
/// strings re-escaped the way ``JSONWriter`` escapes them (only `"`, `\` and control
/// characters, short forms where JSON has them); numbers kept exactly as written (no `Double`
/// round trip, so `1.10` stays `1.10`); `true`, `false`, `null` as themselves. Duplicate keys
/// are rejected: which one a reader would keep is not defined by JSON.
public enum AuditDetail {
    public struct Error: Swift.Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The canonical text of `text`, which must be a JSON object.
    public static func canonicalize(_ text: String) throws(AuditDetail.Error) -> String {
        if text == "{}" { return text }
        let document: JSONDocument
        do { document = try JSONDocument(parsing: text) } catch {
            throw Error(message: "detail is not valid JSON: \(error)")
        }
        guard document.root.kind == .object else {
            throw Error(message: "detail must be a JSON object")
        }
        var writer = JSONWriter(reservingCapacity: text.utf8.count)
        try write(document.root, path: "detail", to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// `path` names the value in an error only, so it is spelled only for one: built eagerly, it
    /// cost a new string for every member of every detail canonicalized.
    private static func write(_ value: JSONValue, path: @autoclosure () -> String, to writer: inout JSONWriter) throws(AuditDetail.Error) {
        switch value.kind {
        case .object:
            let members = value.members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (previous, next) in zip(members, members.dropFirst()) where previous.key == next.key {
                throw Error(message: "\(path()) has the key \"\(next.key)\" twice")
            }
            writer.beginObject()
            for member in members {
                writer.key(member.key)
                try write(member.value, path: "\(path()).\(member.key)", to: &writer)
            }
            writer.endObject()
        case .array:
            writer.beginArray()
            for (index, element) in value.elements.enumerated() {
                try write(element, path: "\(path())[\(index)]", to: &writer)
            }
            writer.endArray()
        case .string: writer.string(value.string ?? "")
        case .number: writer.number(text: value.numberText ?? "0")
        case .bool: writer.bool(value.bool ?? false)
        case .null: writer.null()
        }
    }
}
