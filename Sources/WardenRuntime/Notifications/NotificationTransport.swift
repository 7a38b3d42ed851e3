import WardenStore

/// How one kind of receiver delivers queued notifications.
protocol NotificationTransport: Sendable {
    /// How many queued items one delivery may take.
    var batchSize: Int { get }
    /// Delivers a prefix of `items` (at least one), oldest first.
    func deliver(_ items: [NotificationOutbox.Item], attempt: Int) async -> DeliveryOutcome
}

enum DeliveryOutcome: Sendable {
    /// The first `count` items were delivered.
    case delivered(count: Int)
    /// Nothing was delivered; retry after a backoff.
    case failed(String)
}
