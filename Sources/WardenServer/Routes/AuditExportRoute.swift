import WardenCore
import WardenStore

/// `GET /v1/audit` (JSON, paged) and `GET /v1/audit.csv`: the audit log, read back.
///
/// Query parameters: `since`, `until` (RFC 3339; since inclusive, until exclusive), `rule`,
/// `kind` (budget, quota, policy, reservation, reload), `action`, `limit` (default 1000, at most
/// 10000 for JSON and 1,000,000 for CSV) and `cursor` (the `next_cursor` of the previous page,
/// or the CSV's `X-Next-Cursor` header). An unknown parameter is an error naming it. Rows carry
/// their `prev_hash` and `hash`, so an export can be checked against `tokenwarden audit verify`.
struct AuditExportRoute: Sendable {
    let audit: AuditLog

    init(audit: AuditLog) {
        self.audit = audit
    }

    func json(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let query: AuditQuery
        do { query = try parse(request, defaultLimit: 1000, maxLimit: 10_000) } catch {
            return responder.send(error.response)
        }
        do {
            let events = try audit.query(query)
            var body = JSONWriter(reservingCapacity: 64 + events.count * 400)
            body.beginObject()
            body.key("events")
            body.beginArray()
            for event in events { Self.write(event, to: &body) }
            body.endArray()
            body.key("next_cursor")
            if events.count == query.limit, let last = events.last { body.string(String(last.seq)) } else { body.null() }
            body.endObject()
            responder.send(.json(200, body.bytes))
        } catch {
            responder.send(HTTPError(status: 500, message: error.message).response)
        }
    }

    func csv(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let query: AuditQuery
        do { query = try parse(request, defaultLimit: 1_000_000, maxLimit: 1_000_000) } catch {
            return responder.send(error.response)
        }
        do {
            let events = try audit.query(query)
            var text = "seq,time,rule,kind,action,scope,decision,observed,limit,detail,prev_hash,hash\r\n"
            text.reserveCapacity(text.utf8.count + events.count * 300)
            for stored in events {
                let event = stored.event
                let fields: [String] = [
                    String(stored.seq), event.time.rfc3339, event.rule, event.kind.rawValue, event.action, event.scopeJSON,
                    event.decision, event.observed ?? "", event.limit ?? "", event.detail, stored.prevHash, stored.hash,
                ]
                text += fields.map(UsageExportRoute.csvField).joined(separator: ",")
                text += "\r\n"
            }
            var headers: [(name: String, value: String)] = [
                (name: "Content-Type", value: "text/csv; charset=utf-8; header=present"),
                (name: "Content-Disposition", value: "attachment; filename=\"tokenwarden-audit.csv\""),
            ]
            if events.count == query.limit, let last = events.last {
                headers.append((name: "X-Next-Cursor", value: String(last.seq)))
            }
            responder.send(HTTPResponse(status: 200, headers: headers, body: Array(text.utf8)))
        } catch {
            responder.send(HTTPError(status: 500, message: error.message).response)
        }
    }

    private func parse(_ request: HTTPRequest, defaultLimit: Int, maxLimit: Int) throws(HTTPError) -> AuditQuery {
        var query = AuditQuery(limit: defaultLimit)
        for (name, value) in request.query {
            switch name {
            case "since", "until":
                let time: Timestamp
                do { time = try Timestamp(rfc3339: value) } catch {
                    throw HTTPError(status: 400, message: "query parameter \(name): \(error)")
                }
                if name == "since" { query.since = time } else { query.until = time }
            case "rule": query.rule = value
            case "kind":
                guard let kind = AuditKind(rawValue: value) else {
                    let kinds = AuditKind.allCases.map(\.rawValue).joined(separator: ", ")
                    throw HTTPError(status: 400, message: "query parameter kind must be one of \(kinds), not \"\(value)\"")
                }
                query.kind = kind
            case "action": query.action = value
            case "limit":
                guard let limit = Int(value), (1...maxLimit).contains(limit) else {
                    throw HTTPError(status: 400, message: "query parameter limit must be an integer from 1 to \(maxLimit)")
                }
                query.limit = limit
            case "cursor":
                guard let cursor = Int64(value), cursor >= 0 else {
                    throw HTTPError(status: 400, message: "query parameter cursor must be a next_cursor value from a previous page")
                }
                query.after = cursor
            default:
                throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" (expected since, until, rule, kind, action, limit or cursor)")
            }
        }
        return query
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
        body.key("detail"); body.raw(Array(event.detail.utf8))
        body.key("prev_hash"); body.string(stored.prevHash)
        body.key("hash"); body.string(stored.hash)
        body.endObject()
    }
}
