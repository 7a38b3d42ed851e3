import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenStore

/// Alertmanager's v2 API: `POST <url>/api/v2/alerts` with a JSON array of alerts, one per queued
/// moment (``AlertmanagerAlert``), each with `endsAt` = its time + ``AlertmanagerAlert/momentLifetime``
/// so it resolves by itself.
struct AlertmanagerTransport: NotificationTransport {
    let url: URL
    let receiver: String
    let client: NotificationHTTPClient
    let logger: Logger

    var batchSize: Int { 64 }

    func deliver(_ items: [NotificationOutbox.Item], attempt: Int) async -> DeliveryOutcome {
        var alerts: [AlertmanagerAlert] = []
        for item in items {
            guard let event = try? NotificationEvent(body: item.body) else {
                // Unreadable (cannot happen with bodies this version wrote): skip it, loudly.
                logger.error("dropping an unreadable notification", metadata: ["receiver": "\(receiver)", "id": "\(item.id)"])
                continue
            }
            guard let alert = AlertmanagerAlert(event) else {
                // A budget step or throttle, queued while this receiver's name belonged to a
                // webhook: Prometheus's rules own those alerts, so it is not sent.
                logger.warning("not sending a budget state to Alertmanager", metadata: [
                    "receiver": "\(receiver)", "id": "\(item.id)", "action": "\(event.event.action)",
                ])
                continue
            }
            alerts.append(alert)
        }
        if !alerts.isEmpty {
            let outcome = await client.post(url, body: AlertmanagerAlert.body(alerts), headers: [("Content-Type", "application/json")])
            guard outcome.isSuccess else { return .failed(outcome.description) }
        }
        return .delivered(count: items.count)
    }
}
