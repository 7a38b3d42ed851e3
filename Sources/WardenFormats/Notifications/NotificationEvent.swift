import WardenCore

/// One audit row as a notification: the audit log's sequence number is its id, so a receiver
/// can drop a repeated delivery (retries make repeats possible) by id.
///
/// ``body`` is the webhook's JSON body and also what the outbox stores, so what is signed and
/// sent after a restart is byte for byte what was queued:
///
/// ```json
/// {"id":42,"time":"2026-03-04T10:15:00Z","rule":"team-daily","kind":"budget","action":"threshold_crossed_up",
///  "scope":{"org":"acme","team":"search"},"decision":"warn","observed":"0.9","limit":"1","detail":{"at":"80%",...}}
/// ```
///
/// `observed` and `limit` are exact decimal text or `null`; `detail` is the audit row's canonical
/// JSON object.
public struct NotificationEvent: Sendable, Hashable {
    public var id: Int64
    public var event: AuditEvent

    public init(id: Int64, event: AuditEvent) {
        self.id = id
        self.event = event
    }

    /// The JSON body, with the detail in its canonical form.
    public var body: [UInt8] {
        var writer = JSONWriter(reservingCapacity: 256 + event.detail.fields.count * 32)
        writer.beginObject()
        writer.key("id"); writer.integer(id)
        writer.key("time"); writer.string(event.time.rfc3339)
        writer.key("rule"); writer.string(event.rule)
        writer.key("kind"); writer.string(event.kind.rawValue)
        writer.key("action"); writer.string(event.action)
        writer.key("scope"); writer.raw(Array(event.scopeJSON.utf8))
        writer.key("decision"); writer.string(event.decision)
        writer.key("observed"); if let observed = event.observed { writer.string(observed) } else { writer.null() }
        writer.key("limit"); if let limit = event.limit { writer.string(limit) } else { writer.null() }
        writer.key("detail"); event.detail.write(to: &writer)
        writer.endObject()
        return writer.bytes
    }

    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads a ``body`` back (the outbox holds bodies; Alertmanager needs the fields).
    public init(body: [UInt8]) throws(DecodingError) {
        let document: JSONDocument
        do { document = try JSONDocument(parsing: body) } catch { throw DecodingError(description: "not JSON: \(error)") }
        let root = document.root
        guard let id = root["id"]?.numberText.flatMap({ Int64($0) }),
              let timeText = root["time"]?.string, let time = try? Timestamp(rfc3339: timeText),
              let kindText = root["kind"]?.string, let kind = AuditKind(rawValue: kindText),
              let action = root["action"]?.string, let scope = root["scope"], scope.kind == .object,
              let detail = root["detail"], detail.kind == .object
        else { throw DecodingError(description: "a notification body lacks id, time, kind, action, scope or detail") }
        var event = AuditEvent(time: time, rule: root["rule"]?.string ?? "", kind: kind, action: action,
                               decision: root["decision"]?.string ?? "", observed: root["observed"]?.string,
                               limit: root["limit"]?.string, detail: try Self.detail(detail, in: document))
        event.setScope(scope.members.compactMap { member in member.value.string.map { AuditLabel(key: member.key, value: $0) } })
        self.init(id: id, event: event)
    }

    private static func detail(_ value: JSONValue, in document: JSONDocument) throws(DecodingError) -> AuditDetail {
        do { return try AuditDetail(json: rawText(value, in: document)) } catch {
            throw DecodingError(description: "a notification body's detail: \(error)")
        }
    }

    /// The text of an object value: canonical detail is written without whitespace, so the
    /// matching closing brace is found by counting braces outside strings.
    private static func rawText(_ value: JSONValue, in document: JSONDocument) -> String {
        let bytes = document.bytes
        var index = value.byteOffset
        var depth = 0
        var inString = false
        var escaped = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { return String(decoding: bytes[value.byteOffset...index], as: UTF8.self) }
            }
            index += 1
        }
        return "{}"
    }
}
