import WardenCore
import Yams

/// A `POST /v1/usage` event or `POST /v1/check` body written as YAML in a rule test, turned into
/// the JSON the HTTP decoders read, so a test step accepts exactly what the server accepts.
///
/// YAML scalars are untyped text here: a plain scalar becomes a JSON number only under a field
/// that holds a number (`input_tokens`, `estimated_cost`, …; `100_000` is allowed), so a label
/// value such as `user: 42` stays the string the server would require.
enum YAMLRequestBody {
    static let numberFields: Set<String> = [
        "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens", "reasoning_tokens",
        "estimated_input_tokens", "max_output_tokens", "estimated_cost",
    ]

    /// The JSON object for a YAML mapping, with `defaults` added for the keys it does not have.
    static func json(_ node: Node, defaults: [(key: String, value: String)] = []) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: 256)
        writer.beginObject()
        for (key, value) in node.mapping ?? Node.Mapping([]) {
            let name = key.string ?? ""
            writer.key(name)
            write(value, field: name, into: &writer)
        }
        for (key, value) in defaults where node.mapping?[key] == nil {
            writer.key(key)
            writer.string(value)
        }
        writer.endObject()
        return writer.bytes
    }

    private static func write(_ node: Node, field: String?, into writer: inout JSONWriter) {
        switch node {
        case .mapping(let mapping):
            writer.beginObject()
            for (key, value) in mapping {
                let name = key.string ?? ""
                writer.key(name)
                write(value, field: name, into: &writer)
            }
            writer.endObject()
        case .sequence(let sequence):
            writer.beginArray()
            for item in sequence { write(item, field: nil, into: &writer) }
            writer.endArray()
        case .scalar(let scalar):
            let text = scalar.string
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(text) {
                writer.null()
            } else if scalar.style == .plain, let field, numberFields.contains(field), let number = numberText(text) {
                writer.number(text: number)
            } else {
                writer.string(text)
            }
        case .alias:
            writer.null()
        }
    }

    /// `-?digits[.digits]` with `_` separators removed, or nil.
    private static func numberText(_ text: String) -> String? {
        let digits = text.filter { $0 != "_" }
        var body = Substring(digits)
        if body.hasPrefix("-") { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return nil
        }
        return digits
    }

    /// The YAML node a decoder's field path (`attribution.team`) points at, for error positions;
    /// the closest enclosing node when the field is absent.
    static func node(for field: String, in root: Node) -> Node {
        var node = root
        for part in field.split(separator: ".") {
            guard let child = node.mapping?[String(part)] else { break }
            node = child
        }
        return node
    }
}
