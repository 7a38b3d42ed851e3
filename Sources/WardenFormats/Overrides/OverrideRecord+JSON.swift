import WardenCore

extension OverrideRecord: GovernedRecordJSON {
    public static let listKey = "overrides"

    /// The override as `/v1/overrides` and `tokenwarden overrides` show it:
    /// `{"id", "status", "budget", "instance", "change", "for" | "until", "reason", "requested_by",
    /// "created", "approval_expires_at", "expires_at", "decided_by", "decided_at", "ended_at"}`.
    public func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(id)
        json.key("status"); json.string(status.rawValue)
        json.key("budget"); json.string(budget)
        json.key("instance")
        json.beginObject()
        for label in instance { json.key(label.key); json.string(label.value) }
        json.endObject()
        json.key("change"); json.string(change.description)
        if let duration { json.key("for"); json.string(duration.description) }
        if let until { json.key("until"); json.string(until.rfc3339) }
        json.key("reason"); json.string(reason)
        json.key("requested_by"); json.string(requestedBy)
        json.key("created"); json.string(created.rfc3339)
        json.key("approval_expires_at"); json.string(approvalExpiresAt.rfc3339)
        writeLifecycle(to: &json)
        json.endObject()
    }
}
