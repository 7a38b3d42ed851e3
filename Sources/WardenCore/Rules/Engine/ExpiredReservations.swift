/// Reservations an expiry took out of the engine, whose audit rows are written afterwards.
///
/// The server expires a chunk at a time under the engine's lock, and every check waits for that
/// lock. A row (two RFC 3339 times, the scope labels, the detail) needs nothing of the
/// engine, so it is built here, once the lock is released. That, with smaller chunks, cut the
/// check p99 during an expiry storm by about five times (``RuleHost``'s `expiriesPerLock`).
public struct ExpiredReservations: Sendable {
    let time: Timestamp
    let reservations: [Reservation]

    public var count: Int { reservations.count }

    /// One `reservation_expired` row per reservation, in expiry order.
    public func auditEvents() -> [AuditEvent] {
        reservations.map { reservation in
            var detail = AuditDetail([
                ("created_at", .text(reservation.createdAt.rfc3339)), ("expires_at", .text(reservation.expiresAt.rfc3339)),
                ("id", .text(reservation.id)), ("tokens", .integer(reservation.amount.tokens)),
            ])
            if let keyName = reservation.keyName { detail["key"] = .text(keyName) }
            return AuditEvent(time: time, rule: "", kind: .reservation, action: AuditAction.reservationExpired,
                              scope: reservation.attribution.labels.map { ($0.key, $0.value) }, decision: "",
                              observed: reservation.amount.money.exactDecimal, detail: detail)
        }
    }
}
