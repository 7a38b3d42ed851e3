import WardenCore

/// A governed record's JSON (``writeJSON(to:)``), alone or listed under ``listKey``.
public protocol GovernedRecordJSON {
    /// The member a list is given under: `{"approvals": [...]}`, `{"overrides": [...]}`.
    static var listKey: String { get }
    func writeJSON(to json: inout JSONWriter)
}

extension GovernedRecordJSON {
    public var json: [UInt8] {
        var writer = JSONWriter()
        writeJSON(to: &writer)
        return writer.bytes
    }

    public static func listJSON(_ records: [Self]) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key(listKey)
        json.beginArray()
        for record in records { record.writeJSON(to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}

extension GovernedRecord {
    /// The members every governed record ends with: its times and who decided.
    func writeLifecycle(to json: inout JSONWriter) {
        json.key("expires_at"); json.string(orNull: expiresAt?.rfc3339)
        json.key("decided_by"); json.string(orNull: decidedBy)
        json.key("decided_at"); json.string(orNull: decided?.rfc3339)
        json.key("ended_at"); json.string(orNull: ended?.rfc3339)
    }
}
