
/// `tokenwarden_notifications_total{receiver,result}` (delivered, failed attempts, dropped by the
/// outbox bound) and `tokenwarden_notification_queue_depth{receiver}`, every receiver from zero.
public struct NotificationExposition: MetricsCollector {
    /// One receiver's counts, in configuration order.
    public struct Receiver: Sendable {
        public var receiver: String
        public var delivered: Int
        public var failed: Int
        public var dropped: Int
        public var depth: Int

        public init(receiver: String, delivered: Int, failed: Int, dropped: Int, depth: Int) {
            self.receiver = receiver
            self.delivered = delivered
            self.failed = failed
            self.dropped = dropped
            self.depth = depth
        }
    }

    let receivers: @Sendable () -> [Receiver]

    public init(receivers: @escaping @Sendable () -> [Receiver]) { self.receivers = receivers }

    public func write(into writer: inout ExpositionWriter) {
        let counts = receivers()
        guard !counts.isEmpty else { return }
        writer.family("tokenwarden_notifications_total", type: .counter,
                      help: "Notifications by receiver and result: delivered, failed (one failed attempt, retried), dropped (outbox bound).")
        for count in counts {
            writer.sample("tokenwarden_notifications_total", LabelPairs([("receiver", count.receiver), ("result", "delivered")]), count.delivered)
            writer.sample("tokenwarden_notifications_total", LabelPairs([("receiver", count.receiver), ("result", "failed")]), count.failed)
            writer.sample("tokenwarden_notifications_total", LabelPairs([("receiver", count.receiver), ("result", "dropped")]), count.dropped)
        }
        writer.family("tokenwarden_notification_queue_depth", type: .gauge,
                      help: "Notifications waiting in the receiver's persistent outbox.")
        for count in counts {
            writer.sample("tokenwarden_notification_queue_depth", LabelPairs([("receiver", count.receiver)]), count.depth)
        }
    }
}
