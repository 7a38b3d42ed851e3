/// A page of `GET /v1/usage` (`{"events": [...], "next_cursor": ...}`) read back as usage events:
/// how `tokenwarden simulate` replays the API's own JSON export.
///
/// Each exported event is the event as `POST /v1/usage` took it plus the server's record of it
/// (`seq`, `received_at`, `cost`, `currency`, `priced`, and `reservation: null` when it settled
/// none). Those are dropped and the rest is handed to the usage decoder as it stands, so a page
/// is validated exactly as a posted body would be, and an unexpected member is still an error.
public enum UsageExportPage {
    /// What the export adds to each event: the record of it, not the event.
    static let recordMembers: Set<String> = ["seq", "received_at", "cost", "currency", "priced"]

    /// The page's events as a `POST /v1/usage` JSON array body, or nil when `bytes` is not a page
    /// (such as NDJSON, or a plain array of events).
    public static func usageBody(fromPage bytes: [UInt8]) -> [UInt8]? {
        guard let document = try? JSONDocument(parsing: bytes), document.root.kind == .object,
              let events = document.root["events"], events.kind == .array, document.root["next_cursor"] != nil else { return nil }
        var body = JSONWriter(reservingCapacity: bytes.count)
        body.beginArray()
        for event in events.elements {
            guard event.kind == .object else {
                write(event, into: &body)
                continue
            }
            body.beginObject()
            for (key, value) in event.members where !recordMembers.contains(key) && !(key == "reservation" && value.isNull) {
                body.key(key)
                write(value, into: &body)
            }
            body.endObject()
        }
        body.endArray()
        return body.bytes
    }

    private static func write(_ value: JSONValue, into body: inout JSONWriter) {
        switch value.kind {
        case .object:
            body.beginObject()
            for (key, member) in value.members {
                body.key(key)
                write(member, into: &body)
            }
            body.endObject()
        case .array:
            body.beginArray()
            for element in value.elements { write(element, into: &body) }
            body.endArray()
        case .string: body.string(value.string ?? "")
        case .number: body.raw(Array((value.numberText ?? "0").utf8))
        case .bool: body.bool(value.bool ?? false)
        case .null: body.null()
        }
    }
}
