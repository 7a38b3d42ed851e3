import WardenCore
import WardenRuntime
import WardenFormats
import WardenStore

/// `GET /v1/audit` (JSON, paged) and `GET /v1/audit.csv`: the audit log, read back.
///
/// Query parameters: `since`, `until` (RFC 3339; since inclusive, until exclusive), `rule`,
/// `kind` (budget, quota, policy, reservation, reload, audit), `action`, `limit` (default 1000, at most
/// 10000 for JSON and 1,000,000 for CSV) and `cursor` (the `next_cursor` of the previous page,
/// or the CSV's `X-Next-Cursor` header). An unknown parameter is an error naming it. Rows carry
/// their `prev_hash`, `hash` and `version` (the row format, 1 unkeyed or 2 keyed), so an export
/// can be checked against `tokenwarden audit verify` (keyed rows only with the audit key).
struct AuditExportRoute: Sendable {
    let audit: AuditLog

    init(audit: AuditLog) {
        self.audit = audit
    }

    func json(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        ExportResponse.answer(responder) {
            let query = try parse(request, caller: caller, defaultLimit: 1000, maxLimit: 10_000)
            return try ExportResponse.jsonPage(pager(query), limit: query.limit, write: Self.write)
        }
    }

    func csv(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        ExportResponse.answer(responder) {
            let query = try parse(request, caller: caller, defaultLimit: 1_000_000, maxLimit: 1_000_000)
            let header = ["seq", "time", "rule", "kind", "action", "scope", "decision", "observed", "limit", "detail", "prev_hash", "hash",
                          "version", "actor"]
            return try ExportResponse.csv(
                header: header, pager: pager(query), limit: query.limit, fileName: "tokenwarden-audit.csv",
                lastSeq: { [audit] limit in try audit.seq(query, at: limit) },
                cells: { stored in
                    let event = stored.event
                    return [
                        String(stored.seq), event.time.rfc3339, event.rule, event.kind.rawValue, event.action, event.scopeJSON,
                        event.decision, event.observed ?? "", event.limit ?? "", event.detail.canonicalJSON, stored.prevHash, stored.hash,
                        String(stored.version), event.actor ?? "",
                    ]
                })
        }
    }

    private func pager(_ query: AuditQuery) -> ExportPager<StoredAuditEvent> {
        ExportPager(query: query, fetch: { [audit] batch in try audit.query(batch) }, seq: \.seq)
    }

    /// A scoped caller sees only the rows whose scope holds every label of its own (a budget
    /// instance of its team, its own keys), none about a wider scope or about nothing in particular
    /// (reloads).
    private func parse(_ request: HTTPRequest, caller: APICaller, defaultLimit: Int, maxLimit: Int) throws(HTTPError) -> AuditQuery {
        var query = try parse(request, defaultLimit: defaultLimit, maxLimit: maxLimit)
        query.scope = caller.scope.labels.map { (key: $0.key, value: $0.value) }
        return query
    }

    private func parse(_ request: HTTPRequest, defaultLimit: Int, maxLimit: Int) throws(HTTPError) -> AuditQuery {
        try .parse(request, defaults: AuditQuery(limit: defaultLimit), maxLimit: maxLimit) { name, value, query throws(HTTPError) in
            switch name {
            case "rule": query.rule = value
            case "kind":
                guard let kind = AuditKind(rawValue: value) else {
                    let kinds = AuditKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw HTTPError(status: 400, message: "query parameter kind must be one of \(kinds), not \"\(value)\"")
                }
                query.kind = kind
            case "action": query.action = value
            default:
                throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" (expected since, until, rule, kind, action, limit or cursor)")
            }
        }
    }

    static func write(_ stored: StoredAuditEvent, to body: inout JSONWriter) {
        let event = stored.event
        body.beginObject()
        body.key("seq"); body.integer(stored.seq)
        body.key("time"); body.string(event.time.rfc3339)
        body.key("rule"); body.string(event.rule)
        body.key("kind"); body.string(event.kind.rawValue)
        body.key("action"); body.string(event.action)
        body.key("scope"); body.raw(Array(event.scopeJSON.utf8))
        body.key("decision"); body.string(event.decision)
        // Exact decimals as strings, like `cost` in /v1/usage: JSON readers parse numbers as doubles.
        body.key("observed")
        if let observed = event.observed { body.string(observed) } else { body.null() }
        body.key("limit")
        if let limit = event.limit { body.string(limit) } else { body.null() }
        body.key("detail"); event.detail.write(to: &body)
        body.key("prev_hash"); body.string(stored.prevHash)
        body.key("hash"); body.string(stored.hash)
        body.key("version"); body.integer(stored.version)
        body.key("actor")
        body.string(orNull: event.actor)
        body.endObject()
    }
}
