import Foundation
import WardenCore
import WardenFormats

/// What the usage and audit exports share in their responses: the JSON page envelope with
/// `next_cursor`, and the CSV and NDJSON responses with `X-Next-Cursor` (their queries: ``ExportQuery``).
///
/// Both logs page by their `seq` (keyset pagination): a page that came back full has a next page
/// starting after its last row.
enum ExportResponse {
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

    /// `{"events": [...], "next_cursor": "123" | null}`, streamed: the first batch is read before
    /// the 200 goes out, so a store that cannot be read is still a 500.
    static func jsonPage<Row>(_ pager: ExportPager<Row>, limit: Int, write: @escaping @Sendable (Row, inout JSONWriter) -> Void) throws -> HTTPResponse {
        var pager = pager
        let first = try pager.next()
        var head = JSONWriter(reservingCapacity: 64 + first.count * 400)
        head.beginObject()
        head.key("events")
        head.beginArray()
        for row in first { write(row, &head) }
        let state = PageState(pager: pager, sent: first.count, lastSeq: first.last.map(pager.seq))
        let stream = ExportStream(head: head.bytes) {
            try state.withLock { state -> [UInt8]? in
                guard !state.finished else { return nil }
                let rows = try state.pager.next()
                if rows.isEmpty {
                    state.finished = true
                    var tail = Array("],\"next_cursor\":".utf8)
                    if let cursor = nextCursor(count: state.sent, limit: limit, lastSeq: state.lastSeq) {
                        tail += Array("\"\(cursor)\"}".utf8)
                    } else {
                        tail += Array("null}".utf8)
                    }
                    return tail
                }
                // Each batch is its own writer, so the comma between batches is written here.
                var body = JSONWriter(reservingCapacity: rows.count * 400)
                for row in rows { write(row, &body) }
                let separator: [UInt8] = state.sent > 0 ? [UInt8(ascii: ",")] : []
                state.sent += rows.count
                state.lastSeq = rows.last.map(state.pager.seq)
                return separator + body.bytes
            }
        }
        return HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "application/json")], stream: stream)
    }

    /// A CSV attachment (RFC 4180, CRLF line ends), streamed, with `X-Next-Cursor` when more rows
    /// remain. The header must be known before the first row goes out, so when the first batch
    /// does not already end the export, `lastSeq(limit)` tells where the page will end (the
    /// `seq` of its `limit`-th row, nil when fewer rows match), and the stream stops there.
    static func csv<Row>(header: [String], pager: ExportPager<Row>, limit: Int, fileName: String,
                         lastSeq: (Int) throws -> Int64?, cells: @escaping @Sendable (Row) -> [String]) throws -> HTTPResponse {
        try attachment(contentType: "text/csv; charset=utf-8; header=present", fileName: fileName, pager: pager, limit: limit,
                       lastSeq: lastSeq, head: csvText(header, rows: [], cells: cells)) { rows in csvText(nil, rows: rows, cells: cells) }
    }

    /// NDJSON (one JSON value and a line feed per row), streamed as ``csv(header:pager:limit:fileName:lastSeq:cells:)``
    /// streams CSV, with the same `X-Next-Cursor`.
    static func ndjson<Row>(pager: ExportPager<Row>, limit: Int, fileName: String, lastSeq: (Int) throws -> Int64?,
                            write: @escaping @Sendable (Row, inout JSONWriter) -> Void) throws -> HTTPResponse {
        try attachment(contentType: "application/x-ndjson", fileName: fileName, pager: pager, limit: limit, lastSeq: lastSeq,
                       head: []) { rows in
            var text: [UInt8] = []
            text.reserveCapacity(rows.count * 400)
            for row in rows {
                var line = JSONWriter(reservingCapacity: 400)
                write(row, &line)
                text += line.bytes
                text.append(UInt8(ascii: "\n"))
            }
            return text
        }
    }

    /// A streamed attachment of rows rendered a batch at a time by `render`, after `head`, with
    /// `X-Next-Cursor` when more rows remain. The headers must be known before the first row goes
    /// out, so when the first batch does not already end the export, `lastSeq(limit)` tells where
    /// the page will end (the `seq` of its `limit`-th row, nil when fewer rows match), and the
    /// stream stops there.
    private static func attachment<Row>(contentType: String, fileName: String, pager: ExportPager<Row>, limit: Int,
                                        lastSeq: (Int) throws -> Int64?, head: [UInt8],
                                        render: @escaping @Sendable ([Row]) -> [UInt8]) throws -> HTTPResponse {
        var pager = pager
        let first = try pager.next()
        var headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: contentType),
            (name: "Content-Disposition", value: "attachment; filename=\"\(fileName)\""),
        ]
        if pager.remaining > 0, let end = try lastSeq(limit) {
            headers.append((name: "X-Next-Cursor", value: String(end)))
            pager.throughSeq = end
        } else if first.count == limit, let last = first.last {
            headers.append((name: "X-Next-Cursor", value: String(pager.seq(last))))
        }
        let state = PageState(pager: pager, sent: first.count, lastSeq: nil)
        let stream = ExportStream(head: head + render(first)) {
            try state.withLock { state -> [UInt8]? in
                let rows = try state.pager.next()
                return rows.isEmpty ? nil : render(rows)
            }
        }
        return HTTPResponse(status: 200, headers: headers, stream: stream)
    }

    private static func csvText<Row>(_ header: [String]?, rows: [Row], cells: (Row) -> [String]) -> [UInt8] {
        var text = header.map { $0.joined(separator: ",") + "\r\n" } ?? ""
        text.reserveCapacity(text.utf8.count + rows.count * 300)
        for row in rows {
            text += cells(row).map(csvField).joined(separator: ",")
            text += "\r\n"
        }
        return Array(text.utf8)
    }

    /// What a streamed page carries from one batch to the next.
    private final class PageState<Row>: @unchecked Sendable {
        struct Fields {
            var pager: ExportPager<Row>
            var sent: Int
            var lastSeq: Int64?
            var finished = false
        }
        private let lock = NSLock()
        private var fields: Fields
        init(pager: ExportPager<Row>, sent: Int, lastSeq: Int64?) {
            fields = Fields(pager: pager, sent: sent, lastSeq: lastSeq)
        }
        /// libmicrohttpd reads a stream from one thread at a time; the lock makes that a guarantee.
        func withLock<T>(_ body: (inout Fields) throws -> T) rethrows -> T {
            lock.lock()
            defer { lock.unlock() }
            return try body(&fields)
        }
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
