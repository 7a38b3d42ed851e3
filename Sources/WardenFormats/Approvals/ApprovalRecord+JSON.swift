import WardenCore

extension ApprovalRecord {
    /// The approval as `/v1/approvals` and `tokenwarden approvals` show it:
    /// `{"id", "status", "policies", "provider", "model", "attribution", "estimated_cost",
    /// "currency", "estimated_tokens", "requested_by", "created", "approval_expires_at", "uses",
    /// "used", "expires_at", "decided_by", "decided_at", "ended_at"}`.
    public func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(id)
        json.key("status"); json.string(status.rawValue)
        json.key("policies")
        json.beginArray()
        for policy in policies { json.string(policy) }
        json.endArray()
        json.key("provider"); json.string(provider)
        json.key("model"); json.string(model)
        json.key("attribution")
        json.beginObject()
        for label in attribution { json.key(label.key); json.string(label.value) }
        json.endObject()
        json.key("estimated_cost"); json.string(estimatedCost.exactDecimal)
        json.key("currency"); json.string(currency)
        json.key("estimated_tokens"); json.integer(estimatedTokens)
        json.key("requested_by"); json.string(requestedBy)
        json.key("created"); json.string(created.rfc3339)
        json.key("approval_expires_at"); json.string(approvalExpiresAt.rfc3339)
        json.key("uses"); json.integer(uses)
        json.key("used"); json.integer(used)
        json.key("expires_at"); json.string(orNull: expiresAt?.rfc3339)
        json.key("decided_by"); json.string(orNull: decidedBy)
        json.key("decided_at"); json.string(orNull: decided?.rfc3339)
        json.key("ended_at"); json.string(orNull: ended?.rfc3339)
        json.endObject()
    }

    public var json: [UInt8] {
        var writer = JSONWriter()
        writeJSON(to: &writer)
        return writer.bytes
    }

    /// `{"approvals": [...]}`.
    public static func listJSON(_ records: [ApprovalRecord]) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.key("approvals")
        json.beginArray()
        for record in records { record.writeJSON(to: &json) }
        json.endArray()
        json.endObject()
        return json.bytes
    }
}
