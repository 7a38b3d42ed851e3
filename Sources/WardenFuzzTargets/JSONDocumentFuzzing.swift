import WardenCore
import WardenFormats

/// The JSON parser: a document that parses is written out again with ``JSONWriter``, and that
/// text must parse to the same tree (same kinds, the same strings scalar for scalar, numbers as
/// written, members in order) and write out to the same bytes. Every number is also read the two
/// exact ways the decoders read them (as an integer, as an amount).
enum JSONDocumentFuzzing {
    static func run(_ bytes: [UInt8]) throws(InvariantViolation) {
        guard let document = try? JSONDocument(parsing: bytes) else { return }
        let text = written(document.root)
        let reparsed: JSONDocument
        do {
            reparsed = try JSONDocument(parsing: text)
        } catch {
            throw InvariantViolation("the written form does not parse (\(error)): \(String(decoding: text, as: UTF8.self))")
        }
        try require(equal(document.root, reparsed.root), "the written form parses to another tree: \(String(decoding: text, as: UTF8.self))")
        try require(written(reparsed.root) == text, "writing is not stable: \(String(decoding: text, as: UTF8.self))")
    }

    static func written(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        write(value, to: &writer)
        return writer.bytes
    }

    static func write(_ value: JSONValue, to writer: inout JSONWriter) {
        switch value.kind {
        case .object:
            writer.beginObject()
            for (key, member) in value.members {
                writer.key(key)
                write(member, to: &writer)
            }
            writer.endObject()
        case .array:
            writer.beginArray()
            for element in value.elements { write(element, to: &writer) }
            writer.endArray()
        case .string:
            writer.string(value.string ?? "")
        case .number:
            let text = value.numberText ?? "0"
            _ = value.integer
            _ = try? Money.parse(text)
            writer.number(text: text)
        case .bool:
            writer.bool(value.bool ?? false)
        case .null:
            writer.null()
        }
    }

    static func equal(_ left: JSONValue, _ right: JSONValue) -> Bool {
        guard left.kind == right.kind, left.count == right.count else { return false }
        switch left.kind {
        case .object:
            return zip(left.members, right.members).allSatisfy { l, r in
                l.key.unicodeScalars.elementsEqual(r.key.unicodeScalars) && equal(l.value, r.value)
            }
        case .array:
            return zip(left.elements, right.elements).allSatisfy { equal($0, $1) }
        case .string:
            return (left.string ?? "").unicodeScalars.elementsEqual((right.string ?? "").unicodeScalars)
        case .number:
            return left.numberText == right.numberText
        case .bool:
            return left.bool == right.bool
        case .null:
            return true
        }
    }
}
