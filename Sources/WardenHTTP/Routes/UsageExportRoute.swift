import WardenCore
import WardenRuntime
import WardenFormats
import WardenStore

/// `GET /v1/usage` (JSON, paged), `GET /v1/usage.csv` and `GET /v1/usage.ndjson`: the recorded
/// events, read back.
///
/// Query parameters: `since`, `until` (RFC 3339; since inclusive, until exclusive), `provider`,
/// `model`, any attribution key (`team=search`), `limit` (default 1000, at most 10000 for JSON
/// and 1,000,000 for CSV and NDJSON) and `cursor` (the `next_cursor` of the previous page). An unknown
/// parameter is an error naming it, so a typo never silently widens a finance export.
struct UsageExportRoute: Sendable {
    let store: UsageStore
    let schema: AttributionSchema
    /// Filters name raw values; pseudonymised labels are matched by their pseudonyms.
    var pseudonymisation = Pseudonymisation.none

    func json(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        ExportResponse.answer(responder) {
            let query = try parse(request, caller: caller, defaultLimit: 1000, maxLimit: 10_000)
            return try ExportResponse.jsonPage(pager(query), limit: query.limit, write: Self.write)
        }
    }

    func csv(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        ExportResponse.answer(responder) {
            let query = try parse(request, caller: caller, defaultLimit: 1_000_000, maxLimit: 1_000_000)
            let keys = schema.allowedKeys
            let header = ["seq", "id", "time", "received_at", "provider", "model", "input_tokens", "output_tokens",
                          "cache_read_input_tokens", "cache_creation_input_tokens", "reasoning_tokens", "cost", "currency",
                          "priced"] + keys + ["reservation", "audio_input_tokens", "audio_output_tokens", "images",
                                              "image_size", "image_quality", "audio_input_seconds", "audio_output_seconds"]
            return try ExportResponse.csv(
                header: header, pager: pager(query), limit: query.limit, fileName: "tokenwarden-usage.csv",
                lastSeq: { [store] limit in try store.usageEventSeq(query, at: limit) },
                cells: { event in
                    let attribution = Self.attribution(of: event)
                    return [
                        String(event.seq), event.id, event.time.rfc3339, event.receivedAt.rfc3339, event.provider, event.model,
                        String(event.tokens.input), String(event.tokens.output), String(event.tokens.cacheRead),
                        String(event.tokens.cacheCreation), String(event.tokens.reasoning), event.cost.exactDecimal,
                        event.currency, event.priced ? "true" : "false",
                    ] + keys.map { attribution[$0] ?? "" } + [
                        event.reservation ?? "", String(event.tokens.audioInput), String(event.tokens.audioOutput),
                        String(event.media.images), event.media.imageSize ?? "", event.media.imageQuality ?? "",
                        event.media.audioInputSeconds.exactDecimal, event.media.audioOutputSeconds.exactDecimal,
                    ]
                })
        }
    }

    /// `GET /v1/usage.ndjson`: the CSV export's rows, one event per line in the shape
    /// `POST /v1/usage` takes (``writeAsUsage(_:to:)``), so an export posts back, or replays in
    /// `tokenwarden simulate`, as it was recorded.
    func ndjson(_ request: HTTPRequest, _ caller: APICaller, _ responder: HTTPResponder) {
        ExportResponse.answer(responder) {
            let query = try parse(request, caller: caller, defaultLimit: 1_000_000, maxLimit: 1_000_000)
            return try ExportResponse.ndjson(pager: pager(query), limit: query.limit, fileName: "tokenwarden-usage.ndjson",
                                             lastSeq: { [store] limit in try store.usageEventSeq(query, at: limit) },
                                             write: Self.writeAsUsage)
        }
    }

    private func pager(_ query: UsageQuery) -> ExportPager<StoredUsageEvent> {
        ExportPager(query: query, fetch: { [store] batch in try store.usageEvents(batch) }, seq: \.seq)
    }

    /// The query, narrowed to a scoped caller's labels: a filter the scope does not name is
    /// added, one that contradicts it is a 403 naming the parameter.
    private func parse(_ request: HTTPRequest, caller: APICaller, defaultLimit: Int, maxLimit: Int) throws(HTTPError) -> UsageQuery {
        var query = try parse(request, defaultLimit: defaultLimit, maxLimit: maxLimit)
        for label in caller.scope.labels {
            if let given = query.attribution.first(where: { $0.key == label.key }) {
                guard given.value == label.value else {
                    throw HTTPError(status: 403, message: "query parameter \(label.key)=\(given.value) is outside the key's scope (\(label.key)=\(label.value))")
                }
            } else {
                query.attribution.append((key: label.key, value: label.value))
            }
        }
        return query
    }

    private func parse(_ request: HTTPRequest, defaultLimit: Int, maxLimit: Int) throws(HTTPError) -> UsageQuery {
        try .parse(request, defaults: UsageQuery(limit: defaultLimit), maxLimit: maxLimit) { name, value, query throws(HTTPError) in
            switch name {
            case "provider": query.provider = value
            case "model": query.model = value
            default:
                guard schema.allows(name) else {
                    throw HTTPError(status: 400, message: "unknown query parameter \"\(name)\" (expected since, until, provider, model, limit, cursor or an attribution key: \(schema.allowedKeys.joined(separator: ", ")))")
                }
                query.attribution.append((key: name, value: pseudonymisation.value(value, of: name)))
            }
        }
    }

    static func write(_ event: StoredUsageEvent, to body: inout JSONWriter) {
        body.beginObject()
        body.key("seq"); body.integer(event.seq)
        body.key("id"); body.string(event.id)
        body.key("time"); body.string(event.time.rfc3339)
        body.key("received_at"); body.string(event.receivedAt.rfc3339)
        writeCall(event, to: &body)
        body.key("cost"); body.string(event.cost.exactDecimal)
        body.key("currency"); body.string(event.currency)
        body.key("priced"); body.bool(event.priced)
        body.key("attribution"); body.raw(Array(event.attributionJSON.utf8))
        body.key("reservation"); body.string(orNull: event.reservation)
        body.key("audio_input_tokens"); body.integer(event.tokens.audioInput)
        body.key("audio_output_tokens"); body.integer(event.tokens.audioOutput)
        body.key("images"); body.integer(event.media.images)
        body.key("image_size"); body.string(orNull: event.media.imageSize)
        body.key("image_quality"); body.string(orNull: event.media.imageQuality)
        body.key("audio_input_seconds"); body.string(event.media.audioInputSeconds.exactDecimal)
        body.key("audio_output_seconds"); body.string(event.media.audioOutputSeconds.exactDecimal)
        body.endObject()
    }

    /// The members both shapes share: provider, model and every token count.
    private static func writeCall(_ event: StoredUsageEvent, to body: inout JSONWriter) {
        body.key("provider"); body.string(event.provider)
        body.key("model"); body.string(event.model)
        body.key("input_tokens"); body.integer(event.tokens.input)
        body.key("output_tokens"); body.integer(event.tokens.output)
        body.key("cache_read_input_tokens"); body.integer(event.tokens.cacheRead)
        body.key("cache_creation_input_tokens"); body.integer(event.tokens.cacheCreation)
        body.key("reasoning_tokens"); body.integer(event.tokens.reasoning)
    }

    /// The event as it was posted: its id, time, model, tokens, attribution and the reservation it
    /// settled; not the server's record of it (sequence, receipt time, price).
    static func writeAsUsage(_ event: StoredUsageEvent, to body: inout JSONWriter) {
        body.beginObject()
        body.key("id"); body.string(event.id)
        body.key("time"); body.string(event.time.rfc3339)
        writeCall(event, to: &body)
        body.key("attribution"); body.raw(Array(event.attributionJSON.utf8))
        if let reservation = event.reservation {
            body.key("reservation"); body.string(reservation)
        }
        // Media members only when the call had them, so a text call's line is as it was posted.
        if event.tokens.audioInput != 0 { body.key("audio_input_tokens"); body.integer(event.tokens.audioInput) }
        if event.tokens.audioOutput != 0 { body.key("audio_output_tokens"); body.integer(event.tokens.audioOutput) }
        if event.media.images != 0 { body.key("images"); body.integer(event.media.images) }
        if let size = event.media.imageSize { body.key("image_size"); body.string(size) }
        if let quality = event.media.imageQuality { body.key("image_quality"); body.string(quality) }
        if !event.media.audioInputSeconds.isZero {
            body.key("audio_input_seconds"); body.string(event.media.audioInputSeconds.exactDecimal)
        }
        if !event.media.audioOutputSeconds.isZero {
            body.key("audio_output_seconds"); body.string(event.media.audioOutputSeconds.exactDecimal)
        }
        body.endObject()
    }

    static func attribution(of event: StoredUsageEvent) -> [String: String] {
        guard let document = try? JSONDocument(parsing: event.attributionJSON) else { return [:] }
        var labels: [String: String] = [:]
        for (key, value) in document.root.members { labels[key] = value.string }
        return labels
    }
}
