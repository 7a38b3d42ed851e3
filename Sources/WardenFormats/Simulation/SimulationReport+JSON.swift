import WardenCore

extension SimulationReport {
    /// The rows as a JSON array, one object per row with the audit log's fields
    /// (`time`, `rule`, `kind`, `action`, `scope`, `decision`, `observed`, `limit`, `detail`), and
    /// `threshold` for ladder steps. Amounts are exact decimal strings.
    public var json: [UInt8] {
        var writer = JSONWriter(reservingCapacity: 64 + rows.count * 320)
        writer.beginArray()
        for row in rows {
            writer.beginObject()
            writer.key("time"); writer.string(row.time.rfc3339)
            writer.key("rule"); writer.string(row.rule)
            writer.key("kind"); writer.string(row.kind.rawValue)
            writer.key("action"); writer.string(row.action)
            writer.key("scope"); writer.raw(row.scopeJSON.utf8)
            writer.key("decision"); writer.string(row.decision)
            if let threshold = row.threshold { writer.key("threshold"); writer.string(threshold) }
            writer.key("observed"); if let observed = row.observed { writer.string(observed) } else { writer.null() }
            writer.key("limit"); if let limit = row.limit { writer.string(limit) } else { writer.null() }
            writer.key("detail"); row.detail.write(to: &writer)
            writer.endObject()
        }
        writer.endArray()
        return writer.bytes
    }
}
