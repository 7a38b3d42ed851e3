import WardenCore
import WardenFormats

/// The canonical JSON text of an attribution (keys sorted, as ``Attribution`` keeps them),
/// stored in `usage_event.attribution` so that SQL users can query any key with `json_extract`.
enum AttributionJSON {
    static func encode(_ attribution: Attribution) -> String {
        var writer = JSONWriter(reservingCapacity: 16 + attribution.labels.count * 32)
        writer.beginObject()
        for label in attribution.labels {
            writer.key(label.key)
            writer.string(label.value)
        }
        writer.endObject()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// The attribution of a canonical JSON object of strings; nil for anything else.
    static func decode(_ text: String) -> Attribution? {
        guard let document = try? JSONDocument(parsing: text), document.root.kind == .object else { return nil }
        var pairs: [(String, String)] = []
        for (key, value) in document.root.members {
            guard let string = value.string else { return nil }
            pairs.append((key, string))
        }
        return Attribution(pairs)
    }
}
