import WardenCore
import WardenStore

/// The fields every export's store query has: the time window, the page's cursor and size, and
/// where a streamed export ends. One reader fills them from a request (``parse(_:defaults:maxLimit:filter:)``)
/// and one pager walks them (``ExportPager/init(query:fetch:seq:)``), whatever else a route filters on.
protocol ExportQuery: Sendable {
    var since: Timestamp? { get set }
    var until: Timestamp? { get set }
    var after: Int64? { get set }
    var through: Int64? { get set }
    var limit: Int { get set }
}

extension AuditQuery: ExportQuery {}
extension UsageQuery: ExportQuery {}

extension ExportQuery {
    /// `defaults` with a request's query parameters applied: `since`/`until` (RFC 3339), `limit`
    /// (1 to `maxLimit`) and `cursor` here, any other name by `filter`, which throws for a name it
    /// does not know.
    static func parse(
        _ request: HTTPRequest, defaults: Self, maxLimit: Int,
        filter: (_ name: String, _ value: String, _ query: inout Self) throws(HTTPError) -> Void
    ) throws(HTTPError) -> Self {
        var query = defaults
        for (name, value) in try request.singleValuedQuery() {
            switch name {
            case "since", "until":
                let time: Timestamp
                do { time = try Timestamp(rfc3339: value) } catch {
                    throw HTTPError(status: 400, message: "query parameter \(name): \(error)")
                }
                if name == "since" { query.since = time } else { query.until = time }
            case "limit":
                guard let parsed = Int(value), (1...maxLimit).contains(parsed) else {
                    throw HTTPError(status: 400, message: "query parameter limit must be an integer from 1 to \(maxLimit)")
                }
                query.limit = parsed
            case "cursor":
                guard let cursor = Int64(value), cursor >= 0 else {
                    throw HTTPError(status: 400, message: "query parameter cursor must be a next_cursor value from a previous page")
                }
                query.after = cursor
            default:
                try filter(name, value, &query)
            }
        }
        return query
    }
}

extension ExportPager {
    /// Pages through the rows `query` selects, one store read of `fetch` per batch.
    init<Query: ExportQuery>(query: Query, fetch: @escaping @Sendable (Query) throws -> [Row],
                             seq: @escaping @Sendable (Row) -> Int64) {
        self.init(after: query.after, limit: query.limit, fetch: { after, through, count in
            var batch = query
            batch.after = after
            batch.through = through
            batch.limit = count
            return try fetch(batch)
        }, seq: seq)
    }
}
