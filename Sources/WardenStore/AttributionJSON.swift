import WardenCore

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
}
