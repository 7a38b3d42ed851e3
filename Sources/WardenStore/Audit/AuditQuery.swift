import GRDB
import WardenCore
import WardenFormats

/// A filter over the audit log, as `GET /v1/audit` and `/v1/audit.csv` take it.
public struct AuditQuery: Sendable {
    /// Events with `time >= since`.
    public var since: Timestamp?
    /// Events with `time < until`.
    public var until: Timestamp?
    public var rule: String?
    public var kind: AuditKind?
    public var action: String?
    /// Only rows whose scope holds every one of these labels (an API key's scope: a scoped
    /// reader sees the rows about its own part of the attribution, and none about the whole).
    /// Keys must be attribution keys (`[a-z_][a-z0-9_]*`).
    public var scope: [(key: String, value: String)] = []
    /// Keyset pagination: only events after this sequence number.
    public var after: Int64?
    /// Only events at or before this sequence number (a streamed export's end).
    public var through: Int64?
    public var limit: Int

    public init(since: Timestamp? = nil, until: Timestamp? = nil, rule: String? = nil, kind: AuditKind? = nil,
                action: String? = nil, after: Int64? = nil, limit: Int = 1000) {
        self.since = since
        self.until = until
        self.rule = rule
        self.kind = kind
        self.action = action
        self.after = after
        self.limit = limit
    }
}

/// One row of the audit log as recorded, with its place in the hash chain.
public struct StoredAuditEvent: Sendable, Equatable {
    /// Position in the chain; the pagination cursor.
    public var seq: Int64
    /// The event, with `detail` in canonical form.
    public var event: AuditEvent
    public var prevHash: String
    public var hash: String
    /// The row's format: 1 unkeyed, 2 keyed (see ``AuditChain``).
    public var version: Int64
}

extension AuditLog {
    /// Events matching `query`, in `seq` order, at most `query.limit` of them.
    ///
    /// Reads do not verify the chain (that is ``verify()``'s job); a row whose kind or scope no
    /// longer parses is reported as corrupt.
    public func query(_ query: AuditQuery) throws(StoreError) -> [StoredAuditEvent] {
        var (sql, arguments) = Self.selection(query, columns: "seq, time_ns, rule, kind, action, scope, decision, observed, limit_value, detail, prev_hash, hash, version, actor")
        sql += " ORDER BY seq LIMIT ?"
        arguments.append(max(0, query.limit))
        do {
            return try store.pool.read { db in
                let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
                var events: [StoredAuditEvent] = []
                while let row = try rows.next() {
                    events.append(try Self.decode(row))
                }
                return events
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the audit log failed: \(error)")
        }
    }

    /// The `seq` of the `position`th row (from 1) matching `query`, or nil when fewer match.
    public func seq(_ query: AuditQuery, at position: Int) throws(StoreError) -> Int64? {
        var (sql, arguments) = Self.selection(query, columns: "seq")
        sql += " ORDER BY seq LIMIT 1 OFFSET ?"
        arguments.append(max(0, position - 1))
        do {
            return try store.pool.read { db in try Int64.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) }
        } catch {
            throw StoreError(.read, "reading the audit log failed: \(error)")
        }
    }

    private static func selection(_ query: AuditQuery, columns: String) -> (sql: String, arguments: [DatabaseValueConvertible?]) {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible?] = []
        if let since = query.since { conditions.append("time_ns >= ?"); arguments.append(since.nanosecondsSinceEpoch) }
        if let until = query.until { conditions.append("time_ns < ?"); arguments.append(until.nanosecondsSinceEpoch) }
        if let rule = query.rule { conditions.append("rule = ?"); arguments.append(rule) }
        if let kind = query.kind { conditions.append("kind = ?"); arguments.append(kind.rawValue) }
        if let action = query.action { conditions.append("action = ?"); arguments.append(action) }
        for label in query.scope {
            conditions.append("json_extract(scope, ?) = ?")
            arguments.append("$.\"\(label.key)\"")
            arguments.append(label.value)
        }
        if let after = query.after { conditions.append("seq > ?"); arguments.append(after) }
        if let through = query.through { conditions.append("seq <= ?"); arguments.append(through) }
        var sql = "SELECT \(columns) FROM audit_event"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return (sql, arguments)
    }

    static func decode(_ row: Row) throws -> StoredAuditEvent {
        let seq: Int64 = row[0]
        let kindText: String = row[3]
        guard let kind = AuditKind(rawValue: kindText) else {
            throw StoreError(.corrupt, "audit_event row \(seq) has an unknown kind \(kindText.debugDescription)")
        }
        let scopeText: String = row[5]
        guard let document = try? JSONDocument(parsing: scopeText), document.root.kind == .object else {
            throw StoreError(.corrupt, "audit_event row \(seq) has a malformed scope \(scopeText.debugDescription)")
        }
        let scope = document.root.members.map { (key: $0.key, value: $0.value.string ?? "") }
        let detailText: String = row[9]
        let detail: AuditDetail
        do { detail = try AuditDetail(json: detailText) } catch {
            throw StoreError(.corrupt, "audit_event row \(seq) has a malformed detail: \(error)")
        }
        let event = AuditEvent(time: Timestamp(nanosecondsSinceEpoch: row[1]), rule: row[2], kind: kind, action: row[4],
                               scope: scope, decision: row[6], observed: row[7], limit: row[8], detail: detail, actor: row[13])
        return StoredAuditEvent(seq: seq, event: event, prevHash: row[10], hash: row[11], version: row[12])
    }
}
