import WardenStore

/// How one kind of receiver delivers queued notifications.
protocol NotificationTransport: Sendable {
    /// How many queued items one delivery may take.
    var batchSize: Int { get }
    /// Delivers a prefix of `items` (at least one), oldest first.
    func deliver(_ items: [NotificationOutbox.Item], attempt: Int) async -> DeliveryOutcome
    /// Periodic work besides the queue (re-sending firing alerts); returns the seconds until it
    /// is due again, or nil when there is none.
    func refresh(outbox: NotificationOutbox) async -> Double?
}

enum DeliveryOutcome: Sendable {
    /// The first `count` items were delivered (and, for Alertmanager, these alerts now fire or resolved).
    case delivered(count: Int, firing: [(fingerprint: String, body: String)], resolved: [String])
    /// Nothing was delivered; retry after a backoff.
    case failed(String)
}

extension NotificationTransport {
    func refresh(outbox: NotificationOutbox) async -> Double? { nil }
}
