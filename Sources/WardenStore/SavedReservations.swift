import GRDB
import WardenCore

/// Live reservations kept across a graceful restart (`saved_reservation`).
///
/// Written once at shutdown, after the HTTP server and the usage writer have stopped (so no
/// check or commit can change them any more), and taken — read and deleted in one transaction
/// — at start-up. Taking rather than reading: a process that crashes later must not restore
/// reservations that were committed or released while it ran. Amounts are exact decimal TEXT,
/// the attribution canonical JSON, as in `usage_event`.
enum SavedReservations {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE saved_reservation (
                id TEXT PRIMARY KEY,
                created_ns INTEGER NOT NULL,
                expires_ns INTEGER NOT NULL,
                money TEXT NOT NULL,
                currency TEXT NOT NULL,
                tokens INTEGER NOT NULL,
                attribution TEXT NOT NULL
            ) WITHOUT ROWID;
            """)
    }
}

extension UsageStore {
    /// Replaces the saved reservations with `reservations`.
    public func saveReservations(_ reservations: [SavedReservation]) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM saved_reservation")
                let insert = try db.makeStatement(sql: """
                    INSERT INTO saved_reservation (id, created_ns, expires_ns, money, currency, tokens, attribution)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for reservation in reservations {
                    try insert.execute(arguments: [
                        reservation.id, reservation.createdAt.nanosecondsSinceEpoch, reservation.expiresAt.nanosecondsSinceEpoch,
                        reservation.money.exactDecimal, reservation.currency, reservation.tokens,
                        AttributionJSON.encode(reservation.attribution),
                    ])
                }
            }
        } catch {
            throw StoreError(.write, "saving \(reservations.count) reservations failed: \(error)")
        }
    }

    /// The saved reservations, oldest first, deleted from the store in the same transaction.
    public func takeSavedReservations() throws(StoreError) -> [SavedReservation] {
        do {
            return try pool.write { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, created_ns, expires_ns, money, currency, tokens, attribution
                    FROM saved_reservation ORDER BY created_ns, id
                    """)
                let saved = try rows.map { row throws -> SavedReservation in
                    let id: String = row[0]
                    let moneyText: String = row[3]
                    let attributionText: String = row[6]
                    guard let money = try? Money.parse(moneyText).money else {
                        throw StoreError(.read, "saved reservation \(id): amount \"\(moneyText)\" is not a decimal")
                    }
                    guard let attribution = AttributionJSON.decode(attributionText) else {
                        throw StoreError(.read, "saved reservation \(id): attribution is not an object of strings")
                    }
                    return SavedReservation(id: id, createdAt: Timestamp(nanosecondsSinceEpoch: row[1]),
                                            expiresAt: Timestamp(nanosecondsSinceEpoch: row[2]), money: money,
                                            currency: row[4], tokens: row[5], attribution: attribution)
                }
                try db.execute(sql: "DELETE FROM saved_reservation")
                return saved
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "reading saved reservations failed: \(error)")
        }
    }
}
