import ServiceLifecycle

/// Delivers the notification outboxes (one loop per receiver, ``NotificationRelay/run()``) from
/// the end of the restore until shutdown; what is still queued then is delivered after the next
/// start.
struct NotificationService: Service {
    let relay: NotificationRelay
    let gate: StartupGate

    func run() async throws {
        await afterStartup(gate) { [relay] in await relay.run() }
    }
}
