import GRDB
import WardenCore
import WardenFormats

extension UsageStore {
    /// The counter every change to `approval` raises.
    public func approvalGeneration() throws(StoreError) -> Int64 {
        do {
            return try pool.read { db in try ApprovalRows.generation(db) }
        } catch {
            throw StoreError(.read, "reading the approval generation failed: \(error)")
        }
    }

    /// Every approval request, oldest first.
    public func approvals() throws(StoreError) -> [ApprovalRecord] {
        do {
            return try pool.read { db in try ApprovalRows.fetch(db, where: nil) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading the approvals failed: \(error)")
        }
    }

    /// One approval request, or nil.
    public func approval(_ id: String) throws(StoreError) -> ApprovalRecord? {
        do {
            return try pool.read { db in try ApprovalRows.fetch(db, where: ("id = ?", [id])).first }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading approval \(id) failed: \(error)")
        }
    }
}

/// The approval rows a change reads and writes, inside the transaction that also appends the
/// change's audit rows (``AuditLog/changeApprovals(_:)``).
public struct ApprovalTransaction {
    let db: Database

    public func record(_ id: String) throws -> ApprovalRecord? {
        try ApprovalRows.fetch(db, where: ("id = ?", [id])).first
    }

    /// The pending and approved requests, oldest first.
    public func live() throws -> [ApprovalRecord] {
        try ApprovalRows.fetch(db, where: ("status IN ('pending', 'approved')", []))
    }

    public func generation() throws -> Int64 { try ApprovalRows.generation(db) }

    public func idExists(_ id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM approval WHERE id = ?)", arguments: [id]) ?? false
    }

    public func insert(_ record: ApprovalRecord) throws {
        try db.execute(sql: "INSERT INTO approval(\(ApprovalRows.columns)) VALUES (\(ApprovalRows.placeholders))",
                       arguments: ApprovalRows.arguments(record))
    }

    /// Writes what a change can alter: the estimate of a repeated request, the status, the
    /// grant, the uses taken and the decision fields.
    public func update(_ record: ApprovalRecord) throws {
        try db.execute(sql: """
            UPDATE approval SET estimated_cost = ?, estimated_tokens = ?, status = ?, uses = ?, used = ?, expires_ns = ?,
                decided_by = ?, decided_ns = ?, ended_ns = ? WHERE id = ?
            """, arguments: [record.estimatedCost.exactDecimal, record.estimatedTokens, record.status.rawValue, record.uses,
                             record.used, record.expiresAt?.nanosecondsSinceEpoch, record.decidedBy,
                             record.decided?.nanosecondsSinceEpoch, record.ended?.nanosecondsSinceEpoch, record.id])
    }
}

extension AuditLog {
    /// Runs a change to the approvals and appends the audit rows it returns in the same
    /// transaction. An error thrown by `change` rolls everything back and comes out unchanged.
    public func changeApprovals<T: Sendable>(_ change: (ApprovalTransaction) throws -> (value: T, audit: [AuditEvent])) throws -> T {
        try appendInTransaction { db in
            let (value, events) = try change(ApprovalTransaction(db: db))
            return (events, events.map { PreparedRow($0, detail: $0.detail.canonicalJSON) }, value)
        }.value
    }
}

/// Reading and writing `approval` rows.
enum ApprovalRows {
    static let columns = """
        id, policies, provider, model, attribution, estimated_cost, currency, estimated_tokens, requested_by, requester_key, \
        created_ns, status, approval_expires_ns, uses, used, expires_ns, decided_by, decided_ns, ended_ns
        """
    static let placeholders = Array(repeating: "?", count: 19).joined(separator: ", ")

    static func generation(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT generation FROM approval_generation WHERE id = 1") ?? 0
    }

    static func arguments(_ record: ApprovalRecord) -> StatementArguments {
        let attribution = Attribution(record.attribution.map { ($0.key, $0.value) })
        return [record.id, record.policies.joined(separator: "\n"), record.provider, record.model, AttributionJSON.encode(attribution),
                record.estimatedCost.exactDecimal, record.currency, record.estimatedTokens, record.requestedBy, record.requesterKey,
                record.created.nanosecondsSinceEpoch, record.status.rawValue, record.approvalExpiresAt.nanosecondsSinceEpoch,
                record.uses, record.used, record.expiresAt?.nanosecondsSinceEpoch, record.decidedBy,
                record.decided?.nanosecondsSinceEpoch, record.ended?.nanosecondsSinceEpoch]
    }

    /// A row that cannot be read is an error naming it, never an approval that silently lets
    /// something else through.
    static func fetch(_ db: Database, where condition: (sql: String, arguments: StatementArguments)?) throws -> [ApprovalRecord] {
        let filter = condition.map { " WHERE \($0.sql)" } ?? ""
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns) FROM approval\(filter) ORDER BY created_ns, id",
                                       arguments: condition?.arguments ?? [])
        var records: [ApprovalRecord] = []
        while let row = try rows.next() {
            let id: String = try row.decode(atIndex: 0)
            let attributionText: String = try row.decode(atIndex: 4)
            guard let attribution = AttributionJSON.decode(attributionText) else {
                throw StoreError(.corrupt, "approval \(id) has an attribution that is not a JSON object of strings: \(attributionText)")
            }
            let costText: String = try row.decode(atIndex: 5)
            guard let cost = try? Money.parse(costText).money else {
                throw StoreError(.corrupt, "approval \(id) has an estimated cost that does not parse: \(costText)")
            }
            let statusText: String = try row.decode(atIndex: 11)
            guard let status = ApprovalStatus(rawValue: statusText) else {
                throw StoreError(.corrupt, "approval \(id) has an unknown status: \(statusText)")
            }
            func time(_ index: Int) throws -> Timestamp? {
                let value: Int64? = try row.decode(atIndex: index)
                return value.map(Timestamp.init(nanosecondsSinceEpoch:))
            }
            let policies: String = try row.decode(atIndex: 1)
            records.append(ApprovalRecord(
                id: id, policies: policies.split(separator: "\n").map(String.init), provider: try row.decode(atIndex: 2),
                model: try row.decode(atIndex: 3), attribution: attribution.labels.map { AuditLabel(key: $0.key, value: $0.value) },
                estimatedCost: cost, currency: try row.decode(atIndex: 6), estimatedTokens: try row.decode(atIndex: 7),
                requestedBy: try row.decode(atIndex: 8), requesterKey: try row.decode(atIndex: 9),
                created: Timestamp(nanosecondsSinceEpoch: try row.decode(atIndex: 10)), status: status,
                approvalExpiresAt: Timestamp(nanosecondsSinceEpoch: try row.decode(atIndex: 12)),
                uses: try row.decode(atIndex: 13), used: try row.decode(atIndex: 14), expiresAt: try time(15),
                decidedBy: try row.decode(atIndex: 16), decided: try time(17), ended: try time(18)))
        }
        return records
    }
}
