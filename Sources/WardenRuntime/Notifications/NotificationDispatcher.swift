import Foundation
import Logging
import Synchronization
import WardenCore
import WardenStore

/// Delivers one receiver's outbox, oldest first, in a loop that the notification service runs.
///
/// The queue is the outbox in SQLite, not memory: the dispatcher reads the head, delivers it,
/// and deletes it only once the receiver answered 2xx. So a crash or restart mid-delivery
/// repeats at most the deliveries in flight (receivers dedupe by event id), and a receiver that
/// is down keeps everything until it returns. Failures back off per ``RetrySchedule``; new events
/// do not cut a backoff short, so a dead receiver is not hammered by a busy engine.
final class NotificationDispatcher: Sendable {
    let receiver: String
    private let transport: any NotificationTransport
    private let outbox: NotificationOutbox
    private let schedule: RetrySchedule
    private let logger: Logger
    private let wakeUp = WakeSignal()
    let counters = Mutex<Counters>(Counters())

    struct Counters: Sendable {
        var delivered = 0
        var failed = 0
        var depth = 0
    }

    init(receiver: String, transport: any NotificationTransport, outbox: NotificationOutbox, schedule: RetrySchedule, logger: Logger) {
        self.receiver = receiver
        self.transport = transport
        self.outbox = outbox
        self.schedule = schedule
        self.logger = logger
    }

    /// New events were queued.
    func wake() { wakeUp.signal() }

    /// Delivers until cancelled (a shutdown): the delivery in flight is abandoned, and what is
    /// queued stays queued for the next start.
    func run() async {
        var failures = 0
        while !Task.isCancelled {
            let batch: (items: [NotificationOutbox.Item], depth: Int)
            do {
                batch = try outbox.next(receiver: receiver, count: transport.batchSize)
            } catch {
                logger.error("reading the notification outbox failed", metadata: ["receiver": "\(receiver)", "error": "\(error)"])
                try? await Task.sleep(for: .seconds(5))
                continue
            }
            counters.withLock { $0.depth = batch.depth }
            if batch.items.isEmpty {
                await wakeUp.wait(upTo: .seconds(3600))
                continue
            }
            switch await transport.deliver(batch.items, attempt: failures + 1) {
            case .delivered(let count):
                let ids = batch.items.prefix(count).map(\.id)
                do {
                    try outbox.delivered(receiver: receiver, ids: ids)
                } catch {
                    // Delivered but still queued: it will be sent again, which receivers tolerate.
                    logger.error("removing delivered notifications failed", metadata: ["receiver": "\(receiver)", "error": "\(error)"])
                }
                counters.withLock {
                    $0.delivered += count
                    $0.depth = max(0, batch.depth - count)
                }
                if failures > 0 {
                    logger.info("notification receiver is back", metadata: ["receiver": "\(receiver)", "failed_attempts": "\(failures)"])
                }
                failures = 0
            case .failed(let message):
                guard !Task.isCancelled else { return }
                failures += 1
                counters.withLock { $0.failed += 1 }
                let delay = schedule.delay(afterFailures: failures, unitRandom: Double.random(in: 0...1))
                // Every failure while few, then every tenth, so a long outage does not flood the log.
                if failures <= 3 || failures % 10 == 0 {
                    logger.warning("notification delivery failed", metadata: [
                        "receiver": "\(receiver)", "event": "\(batch.items[0].id)", "attempt": "\(failures)",
                        "error": "\(message)", "retry_in_seconds": "\(Double(delay) / 1e9)",
                    ])
                }
                // New events do not shorten a backoff: only a shutdown does.
                try? await Task.sleep(for: .nanoseconds(delay))
            }
        }
    }
}
