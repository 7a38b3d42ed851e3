import GRDB
import WardenCore
import WardenFormats

extension UsageStore {
    /// The counter every change to `budget_override` raises: when it has not moved, no override
    /// was requested, decided or ended.
    public func overrideGeneration() throws(StoreError) -> Int64 {
        do {
            return try pool.read { db in try OverrideRows.generation(db) }
        } catch {
            throw StoreError(.read, "reading the override generation failed: \(error)")
        }
    }

    /// Every override, oldest first, with the generation they were read at.
    public func overrides() throws(StoreError) -> (records: [OverrideRecord], generation: Int64) {
        do {
            return try pool.read { db in (try OverrideRows.fetch(db, where: nil), try OverrideRows.generation(db)) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the overrides failed: \(error)")
        }
    }
}

/// The override rows a change reads and writes, inside the transaction that also appends the
/// change's audit rows (``AuditLog/changeOverrides(_:)``).
public struct OverrideTransaction {
    let db: Database

    public func record(_ id: String) throws -> OverrideRecord? {
        try OverrideRows.fetch(db, where: ("id = ?", [id])).first
    }

    /// The pending and active overrides, oldest first.
    public func live() throws -> [OverrideRecord] {
        try OverrideRows.fetch(db, where: ("status IN ('pending', 'active')", []))
    }

    /// The table's generation as this transaction leaves it (its own changes counted).
    public func generation() throws -> Int64 { try OverrideRows.generation(db) }

    public func idExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM budget_override WHERE id = ?)", arguments: [id]) ?? false
    }

    public func insert(_ record: OverrideRecord) throws {
        try db.execute(sql: "INSERT INTO budget_override(\(OverrideRows.columns)) VALUES (\(OverrideRows.placeholders))",
                       arguments: OverrideRows.arguments(record))
    }

    /// Writes the record's status and decision fields (what a change can alter).
    public func update(_ record: OverrideRecord) throws {
        try db.execute(sql: """
            UPDATE budget_override SET status = ?, expires_ns = ?, decided_by = ?, decided_ns = ?, ended_ns = ? WHERE id = ?
            """, arguments: [record.status.rawValue, record.expiresAt?.nanosecondsSinceEpoch, record.decidedBy,
                             record.decided?.nanosecondsSinceEpoch, record.ended?.nanosecondsSinceEpoch, record.id])
    }
}

extension AuditLog {
    /// Runs a change to the overrides and appends the audit rows it returns in the same
    /// transaction: no override changes without its row. An error thrown by `change` rolls
    /// everything back and comes out unchanged.
    public func changeOverrides<T: Sendable>(_ change: (OverrideTransaction) throws -> (value: T, audit: [AuditEvent])) throws -> T {
        try appendInTransaction { db in
            let (value, events) = try change(OverrideTransaction(db: db))
            return (events, events.map { PreparedRow($0, detail: $0.detail.canonicalJSON) }, value)
        }.value
    }
}

/// Reading and writing `budget_override` rows.
enum OverrideRows {
    static let columns = """
        id, budget, instance, change, duration_ns, until_ns, reason, requested_by, requester_key, created_ns, status, \
        approval_expires_ns, expires_ns, decided_by, decided_ns, ended_ns
        """
    static let placeholders = Array(repeating: "?", count: 16).joined(separator: ", ")

    static func generation(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT generation FROM budget_override_generation WHERE id = 1") ?? 0
    }

    static func arguments(_ record: OverrideRecord) -> StatementArguments {
        let instance = Attribution(record.instance.map { ($0.key, $0.value) })
        return [record.id, record.budget, AttributionJSON.encode(instance), record.change.description,
                record.duration?.nanoseconds, record.until?.nanosecondsSinceEpoch, record.reason, record.requestedBy,
                record.requesterKey, record.created.nanosecondsSinceEpoch, record.status.rawValue,
                record.approvalExpiresAt.nanosecondsSinceEpoch, record.expiresAt?.nanosecondsSinceEpoch, record.decidedBy,
                record.decided?.nanosecondsSinceEpoch, record.ended?.nanosecondsSinceEpoch]
    }

    /// A row that cannot be read (a change or status edited into nonsense) is an error naming it,
    /// never an override that silently does something else.
    static func fetch(_ db: Database, where condition: (sql: String, arguments: StatementArguments)?) throws -> [OverrideRecord] {
        let filter = condition.map { " WHERE \($0.sql)" } ?? ""
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM budget_override\(filter) ORDER BY created_ns, id",
                                       arguments: condition?.arguments ?? [])
        var records: [OverrideRecord] = []
        while let row = try rows.next() {
            let id: String = try row.decode(atIndex: 0)
            let instanceText: String = try row.decode(atIndex: 2)
            guard let instance = AttributionJSON.decode(instanceText) else {
                throw StoreError(.corrupt, "budget_override \(id) has an instance that is not a JSON object of strings: \(instanceText)")
            }
            let changeText: String = try row.decode(atIndex: 3)
            guard let change = try? OverrideChange(parsing: changeText) else {
                throw StoreError(.corrupt, "budget_override \(id) has a change that does not parse: \(changeText)")
            }
            let statusText: String = try row.decode(atIndex: 10)
            guard let status = OverrideStatus(rawValue: statusText) else {
                throw StoreError(.corrupt, "budget_override \(id) has an unknown status: \(statusText)")
            }
            func time(_ index: Int) throws -> Timestamp? {
                let value: Int64? = try row.decode(atIndex: index)
                return value.map(Timestamp.init(nanosecondsSinceEpoch:))
            }
            let duration: Int64? = try row.decode(atIndex: 4)
            records.append(OverrideRecord(
                id: id, budget: try row.decode(atIndex: 1), instance: instance.labels.map { AuditLabel(key: $0.key, value: $0.value) },
                change: change, duration: duration.map(RuleDuration.init(nanoseconds:)), until: try time(5),
                reason: try row.decode(atIndex: 6), requestedBy: try row.decode(atIndex: 7), requesterKey: try row.decode(atIndex: 8),
                created: Timestamp(nanosecondsSinceEpoch: try row.decode(atIndex: 9)), status: status,
                approvalExpiresAt: Timestamp(nanosecondsSinceEpoch: try row.decode(atIndex: 11)), expiresAt: try time(12),
                decidedBy: try row.decode(atIndex: 13), decided: try time(14), ended: try time(15)))
        }
        return records
    }
}
