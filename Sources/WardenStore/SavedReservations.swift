import GRDB
import GRDBSQLite
import WardenCore

/// Live reservations kept across a graceful restart (`saved_reservation`).
///
/// Written once at shutdown, after the HTTP server and the usage writer have stopped (so no
/// check or commit can change them any more), and taken — read and deleted in one transaction
/// — at start-up. Taking rather than reading: a process that crashes later must not restore
/// reservations that were committed or released while it ran. Amounts are exact decimal TEXT,
/// the attribution canonical JSON, as in `usage_event`. No key: the engine's ids are unique, and
/// rows are written in creation order, so appending beats a B-tree of random ids (which made
/// saving 257k reservations take seconds).
enum SavedReservations {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE saved_reservation (
                id TEXT NOT NULL,
                created_ns INTEGER NOT NULL,
                expires_ns INTEGER NOT NULL,
                money TEXT NOT NULL,
                currency TEXT NOT NULL,
                tokens INTEGER NOT NULL,
                attribution TEXT NOT NULL
            );
            """)
    }

    /// The API key whose check made each reservation (NULL: made without one).
    static func migrateKeyName(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE saved_reservation ADD COLUMN key_name TEXT")
    }
}

extension UsageStore {
    /// Replaces the saved reservations with `reservations`.
    ///
    /// Bound with `sqlite3_bind_*`, and read back with a raw cursor: a busy fleet leaves hundreds
    /// of thousands of live reservations (240k after an 8-second `/v1/check` benchmark), and
    /// GRDB's boxed arguments and `Row` objects took 4 s to save them and 2.5 s (and twice their
    /// memory) to take them back.
    public func saveReservations(_ reservations: [SavedReservation]) throws(StoreError) {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM saved_reservation")
                // The GRDB statement owns the SQLite one: it must outlive every use of the pointer.
                let statement = try db.makeStatement(sql: """
                    INSERT INTO saved_reservation (id, created_ns, expires_ns, money, currency, tokens, attribution, key_name)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                defer { withExtendedLifetime(statement) {} }
                let insert = statement.sqliteStatement
                // Attributions repeat across reservations (one per agent or user, not per check).
                var attributionText: [Attribution: String] = [:]
                for reservation in reservations {
                    let attribution = attributionText[reservation.attribution] ?? {
                        let text = AttributionJSON.encode(reservation.attribution)
                        attributionText[reservation.attribution] = text
                        return text
                    }()
                    Self.bindText(insert, 1, reservation.id)
                    sqlite3_bind_int64(insert, 2, reservation.createdAt.nanosecondsSinceEpoch)
                    sqlite3_bind_int64(insert, 3, reservation.expiresAt.nanosecondsSinceEpoch)
                    Self.bindText(insert, 4, reservation.money.exactDecimal)
                    Self.bindText(insert, 5, reservation.currency)
                    sqlite3_bind_int64(insert, 6, reservation.tokens)
                    Self.bindText(insert, 7, attribution)
                    if let keyName = reservation.keyName { Self.bindText(insert, 8, keyName) } else { sqlite3_bind_null(insert, 8) }
                    let code = sqlite3_step(insert)
                    sqlite3_reset(insert)
                    guard code == SQLITE_DONE else {
                        throw StoreError(.write, "saving reservation \(reservation.id) failed: \(String(cString: sqlite3_errstr(code)))")
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.write, "saving \(reservations.count) reservations failed: \(error)")
        }
    }

    /// Binds `text`, which SQLite copies (`SQLITE_TRANSIENT`, which the C module does not import).
    private static func bindText(_ statement: OpaquePointer?, _ column: Int32, _ text: String) {
        _ = text.withCString { sqlite3_bind_text(statement, column, $0, Int32(text.utf8.count), transient) }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// The saved reservations in the order they were saved (oldest first, as the engine gives
    /// them), deleted from the store in the same transaction.
    public func takeSavedReservations() throws(StoreError) -> [SavedReservation] {
        do {
            return try pool.write { db in
                let statement = try db.makeStatement(sql: """
                    SELECT id, created_ns, expires_ns, money, currency, tokens, attribution, key_name
                    FROM saved_reservation ORDER BY rowid
                    """)
                let select = statement.sqliteStatement
                defer {
                    sqlite3_reset(select)
                    withExtendedLifetime(statement) {}
                }
                func text(_ column: Int32) -> String {
                    guard let bytes = sqlite3_column_text(select, column) else { return "" }
                    return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(select, column))),
                                  as: UTF8.self)
                }
                var saved: [SavedReservation] = []
                var attributions: [String: Attribution] = [:]
                while true {
                    let code = sqlite3_step(select)
                    if code == SQLITE_DONE { break }
                    guard code == SQLITE_ROW else {
                        throw StoreError(.read, "reading saved reservations failed: \(String(cString: sqlite3_errstr(code)))")
                    }
                    let id = text(0)
                    let moneyText = text(3)
                    guard let money = try? Money.parse(moneyText).money else {
                        throw StoreError(.read, "saved reservation \(id): amount \"\(moneyText)\" is not a decimal")
                    }
                    let attributionText = text(6)
                    let attribution: Attribution
                    if let known = attributions[attributionText] {
                        attribution = known
                    } else if let parsed = AttributionJSON.decode(attributionText) {
                        attributions[attributionText] = parsed
                        attribution = parsed
                    } else {
                        throw StoreError(.read, "saved reservation \(id): attribution is not an object of strings")
                    }
                    saved.append(SavedReservation(
                        id: id, createdAt: Timestamp(nanosecondsSinceEpoch: sqlite3_column_int64(select, 1)),
                        expiresAt: Timestamp(nanosecondsSinceEpoch: sqlite3_column_int64(select, 2)), money: money,
                        currency: text(4), tokens: sqlite3_column_int64(select, 5), attribution: attribution,
                        keyName: sqlite3_column_type(select, 7) == SQLITE_NULL ? nil : text(7)))
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
