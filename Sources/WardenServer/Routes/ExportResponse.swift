import WardenCore

/// What the usage and audit exports share: reading the paging and time parameters, the JSON page
/// envelope with `next_cursor`, and the CSV response with `X-Next-Cursor`.
///
/// Both logs page by their `seq` (keyset pagination): a page that came back full has a next page
/// starting after its last row.
enum ExportResponse {
    /// Reads `since`/`until` (RFC 3339), `limit` and `cursor`; returns false for any other name so
    /// the route can try its own filters.
    struct Paging {
        var since: Timestamp?
        var until: Timestamp?
        var limit: Int
        var after: Int64?

        mutating func read(_ name: String, _ value: String, maxLimit: Int) throws(HTTPError) -> Bool {
            switch name {
            case "since", "until":
                let time: Timestamp
                do { time = try Timestamp(rfc3339: value) } catch {
                    throw HTTPError(status: 400, message: "query parameter \(name): \(error)")
                }
                if name == "since" { since = time } else { until = time }
            case "limit":
                guard let parsed = Int(value), (1...maxLimit).contains(parsed) else {
                    throw HTTPError(status: 400, message: "query parameter limit must be an integer from 1 to \(maxLimit)")
                }
                limit = parsed
            case "cursor":
                guard let cursor = Int64(value), cursor >= 0 else {
                    throw HTTPError(status: 400, message: "query parameter cursor must be a next_cursor value from a previous page")
                }
                after = cursor
            default:
                return false
            }
            return true
        }
    }

    /// Where the next page starts, when this one came back full.
    /// Runs an export and sends what it made, or its error: an ``HTTPError`` as itself (a bad
    /// parameter is the client's 400), anything else (the store failed) as a 500 naming it.
    static func answer(_ responder: HTTPResponder, _ export: () throws -> HTTPResponse) {
        do {
            responder.send(try export())
        } catch let error as HTTPError {
            responder.send(error.response)
        } catch {
            responder.send(HTTPError(status: 500, message: "\(error)").response)
        }
    }

    static func nextCursor(count: Int, limit: Int, lastSeq: Int64?) -> String? {
        count == limit ? lastSeq.map { String($0) } : nil
    }

    /// `{"events": [...], "next_cursor": "123" | null}`.
    static func jsonPage<Row>(_ rows: [Row], limit: Int, seq: (Row) -> Int64, write: (Row, inout JSONWriter) -> Void) -> HTTPResponse {
        var body = JSONWriter(reservingCapacity: 64 + rows.count * 400)
        body.beginObject()
        body.key("events")
        body.beginArray()
        for row in rows { write(row, &body) }
        body.endArray()
        body.key("next_cursor")
        if let cursor = nextCursor(count: rows.count, limit: limit, lastSeq: rows.last.map(seq)) { body.string(cursor) } else { body.null() }
        body.endObject()
        return .json(200, body.bytes)
    }

    /// A CSV attachment (RFC 4180, CRLF line ends) with `X-Next-Cursor` when more rows remain.
    static func csv(header: [String], rows: [[String]], fileName: String, nextCursor: String?) -> HTTPResponse {
        var text = header.joined(separator: ",") + "\r\n"
        text.reserveCapacity(text.utf8.count + rows.count * 300)
        for row in rows {
            text += row.map(csvField).joined(separator: ",")
            text += "\r\n"
        }
        var headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: "text/csv; charset=utf-8; header=present"),
            (name: "Content-Disposition", value: "attachment; filename=\"\(fileName)\""),
        ]
        if let nextCursor { headers.append((name: "X-Next-Cursor", value: nextCursor)) }
        return HTTPResponse(status: 200, headers: headers, body: Array(text.utf8))
    }

    /// RFC 4180 quoting, plus a leading `'` for cells a spreadsheet would run as a formula
    /// (attribution values come from clients; CSV injection is a known finance-export hazard).
    /// The triggers are OWASP's: `=`, `+`, `-`, `@`, TAB and CR; a number such as `-0.5` is left
    /// alone, since the guard would turn it into text.
    static func csvField(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first), (try? Money.parse(value)) == nil {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        return value
    }
}
