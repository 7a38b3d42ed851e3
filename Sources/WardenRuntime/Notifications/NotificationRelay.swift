import Foundation
import Logging
import WardenCore
import WardenFormats
import WardenMetrics
import WardenStore

/// The configured receivers and their dispatchers: built from ``NotificationSettings`` at start,
/// woken after each audit append, run by the ``NotificationService`` until shutdown.
public final class NotificationRelay: Sendable {
    public let outbox: NotificationOutbox
    let dispatchers: [NotificationDispatcher]

    public struct SetupError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads webhook secret files now, so a missing or empty secret stops the start-up.
    public init(settings: NotificationSettings, store: UsageStore, userAgent: String, logger: Logger) throws(SetupError) {
        outbox = NotificationOutbox(store: store, routes: settings.receivers.map { .init(receiver: $0.name, actions: Set($0.events)) },
                                    limit: settings.outboxLimit)
        let schedule = RetrySchedule(maximumNanoseconds: settings.maxBackoff.nanoseconds)
        let client = NotificationHTTPClient()
        var dispatchers: [NotificationDispatcher] = []
        for receiver in settings.receivers {
            let transport: any NotificationTransport
            switch receiver.target {
            case .webhook(let url, let secret):
                guard let endpoint = URL(string: url) else { throw SetupError(description: "receiver \(receiver.name): bad URL \(url)") }
                transport = WebhookTransport(url: endpoint, secret: try Self.read(secret, receiver: receiver.name), client: client, userAgent: userAgent)
            case .alertmanager(let url):
                let base = url.hasSuffix("/") ? String(url.dropLast()) : url
                guard let endpoint = URL(string: base + "/api/v2/alerts") else {
                    throw SetupError(description: "receiver \(receiver.name): bad URL \(url)")
                }
                transport = AlertmanagerTransport(url: endpoint, receiver: receiver.name, client: client, logger: logger)
            }
            dispatchers.append(NotificationDispatcher(receiver: receiver.name, transport: transport, outbox: outbox,
                                                      schedule: schedule, logger: logger))
        }
        self.dispatchers = dispatchers
    }

    private static func read(_ secret: NotificationReceiver.Secret, receiver: String) throws(SetupError) -> String {
        switch secret {
        case .inline(let text): return text
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SetupError(description: "receiver \(receiver): cannot read secret_file \(path)")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { throw SetupError(description: "receiver \(receiver): secret_file \(path) is empty") }
            return text
        }
    }

    /// Delivers every receiver's outbox until cancelled (see ``NotificationService``).
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            for dispatcher in dispatchers { group.addTask { await dispatcher.run() } }
        }
    }

    /// Events were queued: let idle dispatchers look.
    public func wake() { for dispatcher in dispatchers { dispatcher.wake() } }

    /// Per receiver, in configuration order: delivered, failed attempts, dropped, queue depth.
    public func counts() -> [NotificationExposition.Receiver] {
        dispatchers.map { dispatcher in
            let counters = dispatcher.counters.withLock { $0 }
            return NotificationExposition.Receiver(receiver: dispatcher.receiver, delivered: counters.delivered, failed: counters.failed,
                                                   dropped: outbox.dropped(receiver: dispatcher.receiver), depth: counters.depth)
        }
    }
}
