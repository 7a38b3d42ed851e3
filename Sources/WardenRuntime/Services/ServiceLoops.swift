import ServiceLifecycle

/// What most background services do: wait until the restore is done, then run a loop until their
/// turn in the graceful shutdown cancels it. A shutdown before the restore ends just returns.
///
/// A loop with nothing to do (no notification receivers) may end early; the service still waits
/// for its turn, because a service that ends on its own ends the whole group.
func afterStartup(_ gate: StartupGate, run loop: @escaping @Sendable () async -> Void) async {
    try? await cancelWhenGracefulShutdown {
        try await gate.wait()
        await loop()
        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
    }
}

/// Runs `body` every `interval` until cancelled, off the cooperative threads (it may block).
func every(_ interval: Duration, _ body: @escaping @Sendable () -> Void) async {
    while !Task.isCancelled {
        await BlockingWork.run(body)
        try? await Task.sleep(for: interval)
    }
}
