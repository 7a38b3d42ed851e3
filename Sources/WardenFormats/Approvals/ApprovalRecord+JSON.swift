import WardenCore

extension ApprovalRecord: GovernedRecordJSON {
    public static let listKey = "approvals"

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
        writeLifecycle(to: &json)
        json.endObject()
    }
}
