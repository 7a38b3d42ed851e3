import Foundation
import WardenStore

/// The generic webhook: one POST per event, the queued JSON body as is, signed.
///
/// Headers: `X-TokenWarden-Signature: sha256=<hex HMAC-SHA256 of the body>` (``WebhookSignature``),
/// `X-TokenWarden-Event-Id` (the audit seq: receivers drop repeats by it, since a delivery whose
/// answer was lost is retried), `X-TokenWarden-Delivery-Attempt` (1 for the first try). Any 2xx
/// answer counts as delivered; anything else, or no answer, is retried.
struct WebhookTransport: NotificationTransport {
    let url: URL
    let secret: String
    let client: NotificationHTTPClient
    let userAgent: String

    var batchSize: Int { 1 }

    static func headers(for item: NotificationOutbox.Item, attempt: Int, secret: String, userAgent: String) -> [(String, String)] {
        [
            ("Content-Type", "application/json"),
            ("User-Agent", userAgent),
            (WebhookSignature.headerName, WebhookSignature.header(body: item.body, secret: secret)),
            ("X-TokenWarden-Event-Id", String(item.id)),
            ("X-TokenWarden-Delivery-Attempt", String(attempt)),
        ]
    }

    func deliver(_ items: [NotificationOutbox.Item], attempt: Int) async -> DeliveryOutcome {
        guard let item = items.first else { return .delivered(count: 0) }
        let outcome = await client.post(url, body: item.body, headers: Self.headers(for: item, attempt: attempt, secret: secret, userAgent: userAgent))
        return outcome.isSuccess ? .delivered(count: 1) : .failed(outcome.description)
    }
}
