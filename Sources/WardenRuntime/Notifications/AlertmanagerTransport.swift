import Foundation
import Logging
import Synchronization
import WardenCore
import WardenFormats
import WardenStore

/// Alertmanager's v2 API: `POST <url>/api/v2/alerts` with a JSON array of alerts
/// (``AlertmanagerAlert`` maps events to alerts and says which fire, resolve or are moments).
///
/// Why firing alerts are re-sent: Alertmanager resolves an alert whose `endsAt` has passed. A
/// firing budget step is sent with `endsAt` = now + ``firingLifetime`` and re-sent every
/// ``refreshInterval`` with a new `endsAt`, as Prometheus does with its alerts. The alternative,
/// an `endsAt` far in the future, would leave an alert firing forever if TokenWarden died or the
/// resolve was lost; with refreshes a dead TokenWarden's alerts resolve within minutes (and
/// Prometheus' `TokenWardenDown` takes over), and the firing set is kept in SQLite
/// (`notification_alert`), so a restarted TokenWarden refreshes what it had firing. Leaving the step
/// (`threshold_crossed_down`, `throttle_ended`) sends the same labels with `endsAt` = the event's time.
final class AlertmanagerTransport: NotificationTransport {
    let url: URL
    let receiver: String
    let client: NotificationHTTPClient
    let clock: any WallClock
    let logger: Logger
    let lastRefresh = Mutex<ContinuousClock.Instant?>(nil)

    static let refreshInterval: Double = 60
    static let firingLifetime: Int64 = 5 * 60 * 1_000_000_000

    var batchSize: Int { 64 }

    init(url: URL, receiver: String, client: NotificationHTTPClient, clock: any WallClock, logger: Logger) {
        self.url = url
        self.receiver = receiver
        self.client = client
        self.clock = clock
        self.logger = logger
    }

    func deliver(_ items: [NotificationOutbox.Item], attempt: Int) async -> DeliveryOutcome {
        let now = clock.now()
        var batch: [(alert: AlertmanagerAlert, endsAt: Timestamp)] = []
        var seen: Set<String> = []
        var state: [(fingerprint: String, body: String?)] = []
        var count = 0
        for item in items {
            guard let event = try? NotificationEvent(body: item.body) else {
                // Unreadable (cannot happen with bodies this version wrote): skip it, loudly.
                logger.error("dropping an unreadable notification", metadata: ["receiver": "\(receiver)", "id": "\(item.id)"])
                count += 1
                continue
            }
            let alert = AlertmanagerAlert(event)
            let fingerprint = alert.fingerprint
            // One state per alert per request: a step reached and left while the receiver was
            // down goes out as two requests, so the firing is notified before the resolve.
            if seen.contains(fingerprint) { break }
            seen.insert(fingerprint)
            count += 1
            switch alert.lifecycle {
            case .fires:
                batch.append((alert, Timestamp(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch + Self.firingLifetime)))
                state.append((fingerprint, String(decoding: item.body, as: UTF8.self)))
            case .resolves:
                batch.append((alert, alert.startsAt))
                state.append((fingerprint, nil))
            case .moment:
                batch.append((alert, Timestamp(nanosecondsSinceEpoch: alert.startsAt.nanosecondsSinceEpoch + AlertmanagerAlert.momentLifetime)))
            }
        }
        if !batch.isEmpty {
            let outcome = await post(batch)
            guard outcome.isSuccess else { return .failed(outcome.description) }
        }
        return .delivered(count: count, firing: state.compactMap { item in item.body.map { (item.fingerprint, $0) } },
                          resolved: state.filter { $0.body == nil }.map(\.fingerprint))
    }

    func refresh(outbox: NotificationOutbox) async -> Double? {
        let now = ContinuousClock.now
        let due = lastRefresh.withLock { last -> Bool in
            guard let previous = last else { last = now; return false }
            if now - previous < .seconds(Self.refreshInterval) { return false }
            last = now
            return true
        }
        if due, let firing = try? outbox.firingAlerts(receiver: receiver), !firing.isEmpty {
            let endsAt = Timestamp(nanosecondsSinceEpoch: clock.now().nanosecondsSinceEpoch + Self.firingLifetime)
            let alerts = firing.compactMap { try? NotificationEvent(body: Array($0.body.utf8)) }.map { (alert: AlertmanagerAlert($0), endsAt: endsAt) }
            let outcome = await post(alerts)
            if !outcome.isSuccess {
                logger.warning("refreshing firing alerts failed", metadata: ["receiver": "\(receiver)", "error": "\(outcome.description)"])
            }
        }
        return Self.refreshInterval
    }

    private func post(_ alerts: [(alert: AlertmanagerAlert, endsAt: Timestamp)]) async -> NotificationHTTPClient.Outcome {
        await client.post(url, body: AlertmanagerAlert.body(alerts), headers: [("Content-Type", "application/json")])
    }
}
