import WardenCore
import WardenStore

/// `GET /v1/usage` (JSON, paged) and `GET /v1/usage.csv`: the recorded events, read back.
///
/// Query parameters: `since`, `until` (RFC 3339; since inclusive, until exclusive), `provider`,
/// `model`, any attribution key (`team=search`), `limit` (default 1000, at most 10000 for JSON
/// and 1,000,000 for CSV) and `cursor` (the `next_cursor` of the previous page). An unknown
/// parameter is an error naming it, so a typo never silently widens a finance export.
struct UsageExportRoute: Sendable {
    let store: UsageStore
    let schema: AttributionSchema

    func json(_ request: HTTPRequest, _ responder: HTTPResponder) {
        let query: UsageQuery
        do { query = try parse(request, defaultLimit: 1000, maxLimit: 10_000) } catch {
            return responder.send(error.response)
        }
        do {
            let events = try store.usageEvents(query)
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
        let query: UsageQuery
        do { query = try parse(request, defaultLimit: 1_000_000, maxLimit: 1_000_000) } catch {
            return responder.send(error.response)
        }
        do {
            let events = try store.usageEvents(query)
            let keys = schema.allowedKeys
            var text = "seq,id,time,received_at,provider,model,input_tokens,output_tokens,cache_read_input_tokens,"
                + "cache_creation_input_tokens,reasoning_tokens,cost,currency,priced,"
                + keys.joined(separator: ",") + ",reservation\r\n"
            text.reserveCapacity(text.utf8.count + events.count * 300)
            for event in events {
                let attribution = Self.attribution(of: event)
                let fields: [String] = [
                    String(event.seq), event.id, event.time.rfc3339, event.receivedAt.rfc3339, event.provider, event.model,
                    String(event.tokens.input), String(event.tokens.output), String(event.tokens.cacheRead),
                    String(event.tokens.cacheCreation), String(event.tokens.reasoning), event.cost.exactDecimal,
                    event.currency, event.priced ? "true" : "false",
                ] + keys.map { attribution[$0] ?? "" } + [event.reservation ?? ""]
                text += fields.map(Self.csvField).joined(separator: ",")
                text += "\r\n"
            }
            var headers: [(name: String, value: String)] = [
                (name: "Content-Type", value: "text/csv; charset=utf-8; header=present"),
                (name: "Content-Disposition", value: "attachment; filename=\"tokenwarden-usage.csv\""),
            ]
            if events.count == query.limit, let last = events.last {
                headers.append((name: "X-Next-Cursor", value: String(last.seq)))
            }
            responder.send(HTTPResponse(status: 200, headers: headers, body: Array(text.utf8)))
        } catch {
            responder.send(HTTPError(status: 500, message: error.message).response)
        }
    }

    private func parse(_ request: HTTPRequest, defaultLimit: Int, maxLimit: Int) throws(HTTPError) -> UsageQuery {
        var query = UsageQuery(limit: defaultLimit)
        for (name, value) in request.query {
            switch name {
            case "since", "until":
                let time: Timestamp
                do { time = try Timestamp(rfc3339: value) } catch {
                    throw HTTPError(status: 400, message: "query parameter \(name): \(error)")
                }
                if name == "since" { query.since = time } else { query.until = time }
            case "provider": query.provider = value
            case "model": query.model = value
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
                guard schema.allows(name) else {
                    throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" (expected since, until, provider, model, limit, cursor or an attribution key: \(schema.allowedKeys.joined(separator: ", ")))")
                }
                query.attribution.append((key: name, value: value))
            }
        }
        return query
    }

    static func write(_ event: StoredUsageEvent, to body: inout JSONWriter) {
        body.beginObject()
        body.key("seq"); body.integer(event.seq)
        body.key("id"); body.string(event.id)
        body.key("time"); body.string(event.time.rfc3339)
        body.key("received_at"); body.string(event.receivedAt.rfc3339)
        body.key("provider"); body.string(event.provider)
        body.key("model"); body.string(event.model)
        body.key("input_tokens"); body.integer(event.tokens.input)
        body.key("output_tokens"); body.integer(event.tokens.output)
        body.key("cache_read_input_tokens"); body.integer(event.tokens.cacheRead)
        body.key("cache_creation_input_tokens"); body.integer(event.tokens.cacheCreation)
        body.key("reasoning_tokens"); body.integer(event.tokens.reasoning)
        body.key("cost"); body.string(event.cost.exactDecimal)
        body.key("currency"); body.string(event.currency)
        body.key("priced"); body.bool(event.priced)
        body.key("attribution"); body.raw(Array(event.attributionJSON.utf8))
        body.key("reservation")
        if let reservation = event.reservation { body.string(reservation) } else { body.null() }
        body.endObject()
    }

    static func attribution(of event: StoredUsageEvent) -> [String: String] {
        guard let document = try? JSONDocument(parsing: event.attributionJSON) else { return [:] }
        var labels: [String: String] = [:]
        for (key, value) in document.root.members { labels[key] = value.string }
        return labels
    }

    /// RFC 4180 quoting, plus a leading `'` for cells a spreadsheet would run as a formula
    /// (attribution values come from clients; CSV injection is a known finance-export hazard).
    static func csvField(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first), Money.looksNumeric(value) == false {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        return value
    }
}

extension Money {
    /// True for plain decimal numbers such as `-0.5`, which are safe in a CSV cell.
    static func looksNumeric(_ text: String) -> Bool {
        (try? Money.parse(text)) != nil
    }
}
